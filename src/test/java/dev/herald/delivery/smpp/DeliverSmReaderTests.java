package dev.herald.delivery.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.delivery.gateway.DeliveryReceipt;
import dev.herald.delivery.gateway.DeliveryReceipt.State;
import dev.herald.delivery.gateway.GatewayMessageIds.Format;
import dev.herald.delivery.gateway.InboundSms;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.jsmpp.bean.OptionalParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Receipts and inbound SMS read tolerantly from what SMSCs actually send. */
class DeliverSmReaderTests {

  static final Instant AT = Instant.parse("2026-11-30T12:00:00Z");

  static DeliverSmReader.Fields receipt(String text, OptionalParameter... tlvs) {
    return new DeliverSmReader.Fields(
        (byte) 0x04,
        (byte) 0,
        (byte) 1,
        "4520123456",
        (byte) 5,
        "Herald",
        text.getBytes(StandardCharsets.ISO_8859_1),
        tlvs);
  }

  static DeliveryReceipt read(DeliverSmReader.Fields f) {
    return DeliverSmReader.receipt("smsc", f, Format.HEX, Format.DECIMAL, AT);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "id:4097 sub:001 dlvrd:001 submit date:2611301200 done date:2611301201 stat:DELIVRD err:000"
            + " text:Hi|4097|DELIVERED|",
        "ID:0004097 STAT:delivered|4097|DELIVERED|",
        "id:4097 stat:UNDELIV err:034|4097|FAILED|034",
        "id:4097 stat:REJECTD err:0B|4097|FAILED|0B",
        "id:4097 submit date:2611301200 stat:EXPIRED|4097|EXPIRED|",
        "id:4097 stat:ENROUTE|4097|PENDING|",
        "id:4097 stat:ACCEPTD err:000|4097|PENDING|",
        "id:4097 stat:SOMETHING|4097|UNKNOWN|",
        "id:4097|4097|UNKNOWN|",
        "id: 4097   stat: DELIVRD|4097|DELIVERED|",
        "id:abc stat:DELETED err:999|abc|FAILED|999",
      })
  void receipt_texts_in_their_many_forms(String text, String id, State state, String error) {
    DeliveryReceipt r = read(receipt(text));

    assertThat(r.gatewayMessageId()).isEqualTo(id);
    assertThat(r.state()).isEqualTo(state);
    assertThat(r.errorCode()).isEqualTo(state == State.FAILED ? error : r.errorCode());
    if (state == State.DELIVERED) {
      assertThat(r.errorCode()).isNull();
    }
  }

  @Test
  void the_receipted_message_id_and_message_state_tlvs_win_over_the_text() {
    DeliveryReceipt r =
        read(
            receipt(
                "id:999 stat:DELIVRD",
                new OptionalParameter.Receipted_message_id("00001001"),
                new OptionalParameter.Message_state((byte) 5)));

    assertThat(r.gatewayMessageId()).as("hex 1001 in canonical decimal").isEqualTo("4097");
    assertThat(r.state()).isEqualTo(State.FAILED);
  }

  @Test
  void a_receipt_with_no_text_but_tlvs_is_read_and_one_naming_no_message_is_dropped() {
    DeliveryReceipt r =
        read(
            receipt(
                "",
                new OptionalParameter.Receipted_message_id("1A"),
                new OptionalParameter.Message_state((byte) 2)));
    assertThat(r.gatewayMessageId()).isEqualTo("26");
    assertThat(r.state()).isEqualTo(State.DELIVERED);

    assertThat(read(receipt("stat:DELIVRD err:000"))).isNull();
    assertThat(DeliverSmReader.isReceipt(receipt("x"))).isTrue();
  }

  @Test
  void a_receipt_is_recognised_by_its_tlv_even_when_esm_class_says_nothing() {
    var f =
        new DeliverSmReader.Fields(
            (byte) 0,
            (byte) 0,
            (byte) 1,
            "4520123456",
            (byte) 0,
            "1234",
            new byte[0],
            new OptionalParameter[] {new OptionalParameter.Receipted_message_id("7")});
    assertThat(DeliverSmReader.isReceipt(f)).isTrue();
  }

  @Test
  void an_inbound_sms_is_decoded_by_data_coding_without_its_udh() {
    byte[] ucs2 = "Stop 👋".getBytes(StandardCharsets.UTF_16BE);
    byte[] withUdh = new byte[6 + ucs2.length];
    System.arraycopy(new byte[] {5, 0, 3, 9, 1, 1}, 0, withUdh, 0, 6);
    System.arraycopy(ucs2, 0, withUdh, 6, ucs2.length);
    var f =
        new DeliverSmReader.Fields(
            (byte) 0x40,
            (byte) 8,
            (byte) 1,
            "4520123456",
            (byte) 3,
            "1234",
            withUdh,
            new OptionalParameter[0]);

    InboundSms sms = DeliverSmReader.inbound("smsc", f, AT);

    assertThat(sms.text()).isEqualTo("Stop 👋");
    assertThat(sms.from()).isEqualTo("+4520123456");
    assertThat(sms.to()).as("a short code stays as it is").isEqualTo("1234");
    assertThat(DeliverSmReader.decode(new byte[] {0x41, 0x1B, 0x65}, (byte) 0)).isEqualTo("A€");
    assertThat(DeliverSmReader.decode("Ü".getBytes(StandardCharsets.UTF_16BE), (byte) 0xE8))
        .as("a message waiting indication in UCS-2")
        .isEqualTo("Ü");
    assertThat(DeliverSmReader.decode(new byte[] {0x41, 0x1B, 0x65}, (byte) 0xD0)).isEqualTo("A€");
  }
}
