package dev.herald.delivery.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.delivery.gateway.GatewayMessageIds.Format;
import org.junit.jupiter.api.Test;

/** One canonical form for the ids carriers write in many ways. */
class GatewayMessageIdsTests {

  @Test
  void text_ids_match_without_case_and_leading_zeros() {
    assertThat(GatewayMessageIds.canonical(" 0000ABcd12 ", Format.TEXT)).isEqualTo("abcd12");
    assertThat(GatewayMessageIds.canonical("0000", Format.TEXT)).isEqualTo("0");
    assertThat(GatewayMessageIds.canonical("", Format.TEXT)).isNull();
    assertThat(GatewayMessageIds.canonical(null, Format.HEX)).isNull();
  }

  @Test
  void a_hex_id_and_its_decimal_form_are_the_same_id() {
    assertThat(GatewayMessageIds.canonical("00001A2B", Format.HEX))
        .isEqualTo(GatewayMessageIds.canonical("6699", Format.DECIMAL))
        .isEqualTo("6699");
    assertThat(GatewayMessageIds.canonical("ffffffffffffffffffff", Format.HEX))
        .isEqualTo("1208925819614629174706175");
  }

  @Test
  void an_id_that_is_not_the_declared_number_is_kept_as_text() {
    assertThat(GatewayMessageIds.canonical("msg-0042", Format.DECIMAL)).isEqualTo("msg-0042");
    assertThat(Format.of("Hex")).isEqualTo(Format.HEX);
    assertThat(Format.of(null)).isEqualTo(Format.TEXT);
    assertThatThrownBy(() -> Format.of("octal")).hasMessageContaining("text, hex or decimal");
  }
}
