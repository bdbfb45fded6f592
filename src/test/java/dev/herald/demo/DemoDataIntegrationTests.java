package dev.herald.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

@SpringBootTest(properties = "herald.demo.enabled=false")
class DemoDataIntegrationTests {

  @Autowired DemoData demo;
  @Autowired JdbcClient jdbc;

  @Test
  void two_instances_seeding_at_once_create_the_demo_once() throws Exception {
    DemoSettings settings = new DemoSettings(true, "a-password-of-the-demo", null, null, null);
    CyclicBarrier start = new CyclicBarrier(2);
    List<Future<DemoData.DemoLogins>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      for (int i = 0; i < 2; i++) {
        results.add(
            pool.submit(() -> {
              start.await();
              try {
                return demo.ensure(settings);
              } catch (DemoData.DemoSeededMeanwhile e) {
                return demo.ensure(settings);
              }
            }));
      }
    }
    List<Boolean> created = new ArrayList<>();
    for (var result : results) {
      created.add(result.get().created());
    }
    assertThat(created).containsExactlyInAnyOrder(true, false);
    // The Danish company on packs, and the Québec one on monthly blocks (issue 9).
    assertThat(count("company")).isEqualTo(2);
    assertThat(count("app_user")).isEqualTo(3);
    assertThat(count("contact")).isEqualTo(6);
    assertThat(count("api_key")).isEqualTo(1);
    assertThat(
            jdbc.sql("SELECT model || ' ' || currency FROM billing_account ORDER BY model")
                .query(String.class)
                .list())
        .containsExactly("blocks CAD", "packs DKK");
    assertThat(
            jdbc.sql(
                    "SELECT w.balance + coalesce((SELECT sum(s.balance) FROM credit_wallet_slot s"
                        + " WHERE s.tenant_id = w.tenant_id), 0)"
                        + " FROM credit_wallet w JOIN billing_account a USING (tenant_id) WHERE a.model = 'packs'")
                .query(Long.class)
                .single())
        .isPositive();
    assertThat(count("billing_invoice")).as("the Québec company's first block").isEqualTo(1);

    // Documents for the newcomer: an invoice paid, one overdue, a quote waiting, two drafts.
    assertThat(documents())
        .containsExactly(
            "invoice 1 paid Anders Jensen",
            "invoice 2 overdue Sofie Nielsen",
            "invoice 3 draft Anders Jensen",
            "quote 1 sent Claire Dubois",
            "quote 2 draft James Walker");
    assertThat(count("outbound_message")).as("nothing queued at start-up").isZero();

    assertThat(demo.ensure(settings).created()).as("a later start").isFalse();
    assertThat(count("company")).isEqualTo(2);
    assertThat(count("document")).as("a later start adds no documents").isEqualTo(5);

    // A demo made before it had documents gets them at its next start, once, however many start.
    jdbc.sql("DELETE FROM document_sending").update();
    jdbc.sql("DELETE FROM document").update();
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      CyclicBarrier again = new CyclicBarrier(2);
      List<Future<DemoData.DemoLogins>> starts = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        starts.add(
            pool.submit(() -> {
              again.await();
              return demo.ensure(settings);
            }));
      }
      for (var later : starts) {
        assertThat(later.get().created()).isFalse();
      }
    }
    assertThat(count("document")).isEqualTo(5);
  }

  /** Each document as the list shows it: kind, number, status (overdue worked out), customer. */
  private List<String> documents() {
    return jdbc.sql(
            """
            SELECT d.kind || ' ' || d.number || ' '
                   || CASE WHEN d.kind = 'invoice' AND d.status = 'sent' AND d.due_date < current_date
                           THEN 'overdue' ELSE d.status END
                   || ' ' || c.name
            FROM document d JOIN contact c ON c.tenant_id = d.tenant_id AND c.id = d.contact_id
            ORDER BY d.kind, d.number
            """)
        .query(String.class)
        .list();
  }

  private long count(String table) {
    return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
  }
}
