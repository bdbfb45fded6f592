package dev.herald.billing;

import static dev.herald.billing.BillingFixtures.aCompanyOnBlocks;
import static dev.herald.billing.BillingFixtures.aCompanyOnPacks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.shared.InvalidInputException;
import dev.herald.shared.TenantId;
import dev.herald.support.TestCompanies;
import dev.herald.support.TestCompanies.TestCompany;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Plan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest
@RecordApplicationEvents
class CreditsIntegrationTests {

  @Autowired Credits credits;
  @Autowired BillingAccounts accounts;
  @Autowired TestCompanies companies;
  @Autowired Companies allCompanies;
  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate tx;
  @Autowired ApplicationEvents events;

  static List<CreditRequest> requests(int... units) {
    return IntStream.of(units).mapToObj(u -> new CreditRequest(UUID.randomUUID(), u)).toList();
  }

  CreditReservation reserve(TenantId tenant, List<CreditRequest> requests) {
    return tx.execute(s -> credits.reserve(tenant, UUID.randomUUID().toString(), requests));
  }

  long ledgerBalance(TenantId tenant) {
    return jdbc.sql(
            "SELECT coalesce(sum(balance_change), 0) FROM credit_ledger WHERE tenant_id = :t")
        .param("t", tenant.value())
        .query(Long.class)
        .single();
  }

  @Test
  void packs_reserve_in_list_order_until_the_credit_runs_out() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 10);
    List<CreditRequest> list = requests(3, 3, 3, 2, 1);

    CreditReservation r = reserve(c.id(), list);

    assertThat(r.reserved())
        .containsExactlyInAnyOrder(
            list.get(0).reference(), list.get(1).reference(), list.get(2).reference());
    // The 1-unit request after the first refusal is not squeezed in: the rest are no credit.
    assertThat(r.isReserved(list.get(4).reference())).isFalse();
    assertThat(credits.balance(c.id())).isEqualTo(1);
    assertThat(ledgerBalance(c.id())).isEqualTo(1);
  }

  @Test
  void ten_thousand_references_are_reserved_captured_and_released_by_one_call_each() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 7_000);
    List<CreditRequest> list = requests(IntStream.range(0, 10_000).map(i -> 1).toArray());

    long started = System.nanoTime();
    CreditReservation r = reserve(c.id(), list);
    long millis = (System.nanoTime() - started) / 1_000_000;

    assertThat(r.reserved()).hasSize(7_000);
    assertThat(r.isReserved(list.get(6_999).reference())).isTrue();
    assertThat(r.isReserved(list.get(7_000).reference())).isFalse();
    assertThat(credits.balance(c.id())).isZero();
    System.out.printf("Reserving 10,000 references took %d ms%n", millis);

    List<CreditUse> sent = new ArrayList<>();
    List<CreditUse> failed = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      (i % 2 == 0 ? sent : failed).add(new CreditUse(c.id(), list.get(i).reference(), 1));
    }
    tx.executeWithoutResult(s -> credits.capture(UUID.randomUUID(), sent));
    tx.executeWithoutResult(s -> credits.release(failed));

    assertThat(credits.balance(c.id())).isEqualTo(3_500);
    assertThat(
            jdbc.sql(
                    """
                    SELECT kind || ':' || units FROM credit_ledger WHERE tenant_id = :t
                    ORDER BY created_at, kind
                    """)
                .param("t", c.id().value())
                .query(String.class)
                .list())
        .as("one ledger row per call, not per reference")
        .containsExactlyInAnyOrder("grant:7000", "reserve:7000", "capture:3500", "release:3500");
  }

  @Test
  void the_same_idempotency_key_answers_the_same_without_moving_credit_twice() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 5);
    List<CreditRequest> list = requests(2, 2, 2);

    CreditReservation first = tx.execute(s -> credits.reserve(c.id(), "enqueue-1", list));
    CreditReservation again = tx.execute(s -> credits.reserve(c.id(), "enqueue-1", list));

    assertThat(again.reserved()).isEqualTo(first.reserved()).hasSize(2);
    assertThat(credits.balance(c.id())).isEqualTo(1);
  }

  @Test
  void single_reservations_of_one_company_do_not_wait_for_each_other() throws Exception {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 10_000);
    // The first reservation decides under the wallet's lock and spreads the credit over slots.
    tx.execute(s -> credits.reserve(c.id(), "warm-up", requests(1)));
    java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    Thread first =
        Thread.ofVirtual()
            .start(() ->
                tx.executeWithoutResult(s -> {
                  credits.reserve(c.id(), "held-open", requests(1));
                  holding.countDown();
                  try {
                    done.await(); // its transaction stays open, as an enqueue's does until commit
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    // A first reservation that throws must fail the test, not leave it waiting forever.
    assertThat(holding.await(30, java.util.concurrent.TimeUnit.SECONDS))
        .as("the first reservation holds its slot")
        .isTrue();
    try {
      CreditReservation second =
          tx.execute(s -> {
            jdbc.sql("SET LOCAL lock_timeout = '2s'").update();
            return credits.reserve(c.id(), "beside-it", requests(1));
          });
      assertThat(second.reserved()).as("reserved while the first still holds its slot").hasSize(1);
    } finally {
      done.countDown();
      first.join();
    }
    assertThat(credits.balance(c.id())).isEqualTo(10_000 - 3);
  }

  @Test
  void a_company_without_sms_gets_nothing_reserved() {
    TestCompany noModel = companies.aDanishCompany(false, true);
    allCompanies.setSmsUnlocked(noModel.id(), true); // unlocked without a model: still no SMS
    TestCompany free = aCompanyOnPacks(companies, accounts, credits, 100);
    allCompanies.changePlan(free.id(), Plan.FREE);
    TestCompany locked = aCompanyOnPacks(companies, accounts, credits, 100);
    allCompanies.setSmsUnlocked(locked.id(), false);

    for (TestCompany c : List.of(noModel, free, locked)) {
      CreditReservation r = reserve(c.id(), requests(1, 1));
      assertThat(r.reserved()).isEmpty();
      assertThat(r.refusal()).isEqualTo(CreditReservation.Refusal.NO_SMS);
    }
    // Free keeps the credit.
    assertThat(credits.balance(free.id())).isEqualTo(100);
  }

  @Test
  void blocks_always_reserve_and_captures_make_one_usage_row_per_batch_and_company() {
    TestCompany a = aCompanyOnBlocks(companies, accounts);
    TestCompany b = aCompanyOnPacks(companies, accounts, credits, 50);
    List<CreditRequest> forA = requests(3, 1, 2);
    List<CreditRequest> forB = requests(4, 4);
    assertThat(reserve(a.id(), forA).reserved()).hasSize(3);
    assertThat(reserve(b.id(), forB).reserved()).hasSize(2);
    assertThat(credits.balance(a.id())).isZero();

    UUID batch = UUID.randomUUID();
    List<CreditUse> uses = new ArrayList<>();
    forA.forEach(r -> uses.add(new CreditUse(a.id(), r.reference(), r.units())));
    forB.forEach(r -> uses.add(new CreditUse(b.id(), r.reference(), r.units())));
    tx.executeWithoutResult(s -> credits.capture(batch, uses));
    tx.executeWithoutResult(s -> credits.capture(UUID.randomUUID(), uses));

    assertThat(
            jdbc.sql("SELECT tenant_id, units FROM sms_usage WHERE batch_id = :b")
                .param("b", batch)
                .query((rs, n) -> Map.entry(rs.getObject(1, UUID.class), rs.getLong(2)))
                .list())
        .containsExactlyInAnyOrder(Map.entry(a.id().value(), 6L), Map.entry(b.id().value(), 8L));
    // Captured twice under another batch id: used once.
    assertThat(
            jdbc.sql("SELECT count(*) FROM sms_usage WHERE tenant_id IN (:a, :b)")
                .param("a", a.id().value())
                .param("b", b.id().value())
                .query(Long.class)
                .single())
        .isEqualTo(2);
    assertThat(credits.balance(b.id())).isEqualTo(42);
  }

  @Test
  void a_release_reported_twice_releases_once_and_a_captured_one_never() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 10);
    List<CreditRequest> list = requests(3, 2);
    reserve(c.id(), list);
    assertThat(credits.balance(c.id())).isEqualTo(5);
    var failed = List.of(new CreditUse(c.id(), list.get(0).reference(), 3));
    var sent = List.of(new CreditUse(c.id(), list.get(1).reference(), 2));

    tx.executeWithoutResult(s -> credits.capture(UUID.randomUUID(), sent));
    tx.executeWithoutResult(s -> credits.release(failed));
    tx.executeWithoutResult(s -> credits.release(failed));
    tx.executeWithoutResult(s -> credits.release(sent));

    assertThat(credits.balance(c.id())).isEqualTo(8);
    assertThat(ledgerBalance(c.id())).isEqualTo(8);
  }

  @Test
  void the_database_refuses_to_update_or_delete_the_ledger() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 10);

    assertThatThrownBy(() ->
            jdbc.sql("UPDATE credit_ledger SET units = 1000 WHERE tenant_id = :t")
                .param("t", c.id().value())
                .update())
        .hasMessageContaining("append-only");
    assertThatThrownBy(() ->
            jdbc.sql("DELETE FROM credit_ledger WHERE tenant_id = :t")
                .param("t", c.id().value())
                .update())
        .hasMessageContaining("append-only");
    assertThat(ledgerBalance(c.id())).isEqualTo(10);
  }

  @Test
  void the_balance_cannot_go_below_zero_even_past_the_code() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 3);

    assertThatThrownBy(() ->
            jdbc.sql("UPDATE credit_wallet SET balance = balance - 4 WHERE tenant_id = :t")
                .param("t", c.id().value())
                .update())
        .hasMessageContaining("credit_wallet_balance_check");
  }

  @Test
  void concurrent_reserves_never_over_reserve_nor_go_below_zero() throws Exception {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 500);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Callable<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      calls.add(() ->
          reserve(c.id(), requests(IntStream.range(0, 25).map(x -> 1).toArray()))
              .reserved()
              .size());
    }
    int reserved = 0;
    for (Future<Integer> f : pool.invokeAll(calls)) {
      reserved += f.get();
    }
    pool.shutdown();

    assertThat(reserved).isEqualTo(500);
    assertThat(credits.balance(c.id())).isZero();
    assertThat(ledgerBalance(c.id())).isZero();
  }

  @Test
  void concurrent_releases_of_two_companies_in_opposite_orders_neither_deadlock_nor_double()
      throws Exception {
    TestCompany a = aCompanyOnPacks(companies, accounts, credits, 2_000);
    TestCompany b = aCompanyOnPacks(companies, accounts, credits, 2_000);
    List<CreditRequest> forA = requests(IntStream.range(0, 2_000).map(i -> 1).toArray());
    List<CreditRequest> forB = requests(IntStream.range(0, 2_000).map(i -> 1).toArray());
    reserve(a.id(), forA);
    reserve(b.id(), forB);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Callable<Void>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      List<CreditUse> uses = new ArrayList<>();
      for (int j = 0; j < 50; j++) {
        uses.add(new CreditUse(a.id(), forA.get(i * 50 + j).reference(), 1));
        uses.add(new CreditUse(b.id(), forB.get(i * 50 + j).reference(), 1));
      }
      List<CreditUse> reversed = new ArrayList<>(uses);
      java.util.Collections.reverse(reversed);
      calls.add(() -> {
        tx.executeWithoutResult(s -> credits.release(uses));
        return null;
      });
      calls.add(() -> {
        tx.executeWithoutResult(s -> credits.release(reversed));
        return null;
      });
    }
    for (Future<Void> f : pool.invokeAll(calls)) {
      f.get();
    }
    pool.shutdown();

    assertThat(credits.balance(a.id())).isEqualTo(2_000);
    assertThat(credits.balance(b.id())).isEqualTo(2_000);
  }

  @Test
  void credit_low_once_per_crossing_and_used_up_once_per_depletion() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 60);
    reserve(c.id(), requests(5)); // 55: above the default threshold of 50
    reserve(c.id(), requests(5)); // 50: crossed
    reserve(c.id(), requests(5)); // 45: still below, no new warning
    assertThat(events.stream(CreditLow.class).filter(e -> e.tenantId().equals(c.id()))).hasSize(1);

    reserve(c.id(), requests(45, 1)); // 0: used up
    reserve(c.id(), requests(1)); // nothing left: no second depletion
    assertThat(events.stream(CreditUsedUp.class).filter(e -> e.tenantId().equals(c.id())))
        .hasSize(1);

    tx.executeWithoutResult(s -> credits.grant(c.id(), 100, "refill", "gift"));
    reserve(c.id(), requests(60)); // 40: a new crossing
    assertThat(events.stream(CreditLow.class).filter(e -> e.tenantId().equals(c.id()))).hasSize(2);
  }

  @Test
  void model_and_currency_cannot_change_while_the_company_holds_credit() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 5);

    assertThatThrownBy(() -> accounts.choose(c.id(), "blocks", "DKK"))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.problems().getFirst().code()).isEqualTo("billing.model.holdsCredit"));
    assertThatThrownBy(() -> accounts.choose(c.id(), "packs", "EUR"))
        .isInstanceOf(InvalidInputException.class);
    assertThat(accounts.find(c.id()).orElseThrow().currency().getCurrencyCode()).isEqualTo("DKK");
  }

  /**
   * 10,000 random grants, reserves (some repeated), captures and releases (some twice), checked
   * against a plain model of the wallet after every step.
   */
  @Test
  void ten_thousand_random_operations_agree_with_a_plain_model() {
    TestCompany c = aCompanyOnPacks(companies, accounts, credits, 0);
    Random random = new Random(20261130L);
    long modelBalance = 0;
    Map<UUID, Integer> open = new HashMap<>();
    Map<UUID, Integer> settled = new HashMap<>();
    Map<String, List<CreditRequest>> reserveCalls = new HashMap<>();
    Map<String, java.util.Set<UUID>> reserveAnswers = new HashMap<>();
    List<String> keys = new ArrayList<>();
    for (int step = 0; step < 10_000; step++) {
      int op = random.nextInt(10);
      if (op == 0) {
        long units = 1 + random.nextInt(30);
        String key = "g" + step;
        tx.executeWithoutResult(s -> credits.grant(c.id(), units, key, "random"));
        modelBalance += units;
      } else if (op <= 4) {
        boolean repeat = !keys.isEmpty() && random.nextInt(8) == 0;
        String key = repeat ? keys.get(random.nextInt(keys.size())) : "r" + step;
        List<CreditRequest> list =
            repeat
                ? reserveCalls.get(key)
                : IntStream.range(0, 1 + random.nextInt(4))
                    .mapToObj(i -> new CreditRequest(UUID.randomUUID(), 1 + random.nextInt(3)))
                    .toList();
        CreditReservation r = tx.execute(s -> credits.reserve(c.id(), key, list));
        if (repeat) {
          assertThat(r.reserved()).isEqualTo(reserveAnswers.get(key));
        } else {
          long total = 0;
          java.util.Set<UUID> expected = new java.util.HashSet<>();
          for (CreditRequest req : list) {
            if (total + req.units() > modelBalance) {
              break;
            }
            total += req.units();
            expected.add(req.reference());
            open.put(req.reference(), req.units());
          }
          modelBalance -= total;
          assertThat(r.reserved()).isEqualTo(expected);
          keys.add(key);
          reserveCalls.put(key, list);
          reserveAnswers.put(key, r.reserved());
        }
      } else {
        boolean release = op >= 7;
        List<CreditUse> uses = new ArrayList<>();
        List<UUID> candidates = new ArrayList<>(open.keySet());
        for (int i = 0; i < 1 + random.nextInt(4) && !candidates.isEmpty(); i++) {
          UUID ref = candidates.remove(random.nextInt(candidates.size()));
          uses.add(new CreditUse(c.id(), ref, open.get(ref)));
        }
        if (!settled.isEmpty() && random.nextBoolean()) {
          UUID again = settled.keySet().iterator().next();
          uses.add(new CreditUse(c.id(), again, settled.get(again)));
        }
        if (release) {
          tx.executeWithoutResult(s -> credits.release(uses));
        } else {
          tx.executeWithoutResult(s -> credits.capture(UUID.randomUUID(), uses));
        }
        for (CreditUse u : uses) {
          Integer units = open.remove(u.reference());
          if (units != null) {
            settled.put(u.reference(), units);
            if (release) {
              modelBalance += units;
            }
          }
        }
      }
      assertThat(credits.balance(c.id())).as("balance after step %d", step).isEqualTo(modelBalance);
    }
    assertThat(ledgerBalance(c.id())).isEqualTo(modelBalance);
    assertThat(credits.outstanding(c.id()))
        .isEqualTo(open.values().stream().mapToLong(Integer::longValue).sum());
  }
}
