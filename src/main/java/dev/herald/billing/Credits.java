package dev.herald.billing;

import dev.herald.shared.Ids;
import dev.herald.shared.TenantId;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Moves SMS credit by opaque references, in the caller's transaction, set-based: each call is a
 * fixed handful of statements whatever the number of references. Every movement is an append-only
 * ledger row with an idempotency key; the prepaid balance is guarded by {@code CHECK (balance >=
 * 0)}.
 */
@Service
public class Credits {

  private final JdbcClient jdbc;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  Credits(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
    this.jdbc = jdbc;
    this.events = events;
    this.clock = clock;
  }

  private record WalletState(
      long balance,
      String model,
      int threshold,
      String plan,
      boolean unlocked,
      boolean emailFallback) {

    boolean smsAvailable() {
      return model != null && unlocked && !"FREE".equals(plan);
    }

    boolean prepaid() {
      return SmsModel.PACKS.code().equals(model);
    }
  }

  /**
   * Reserves credit for the requests in list order: on packs until the balance runs out (the rest
   * are not reserved), on monthly blocks always (postpaid), for a company without SMS never. The
   * same idempotency key answers the first call's result without moving credit again.
   */
  //
  // One packs reservation per company per transaction, unless the caller locked the wallet first
  // (lockWallet): a transaction that holds a slot and then waits for the wallet could deadlock with
  // the exact way, which holds the wallet and waits for the slots (decision 0009).
  @Transactional(propagation = Propagation.REQUIRED)
  public CreditReservation reserve(
      TenantId tenant, String idempotencyKey, List<CreditRequest> requests) {
    Objects.requireNonNull(tenant, "tenant");
    requireKey(idempotencyKey);
    Set<UUID> seen = new HashSet<>();
    for (CreditRequest r : requests) {
      if (!seen.add(r.reference())) {
        throw new IllegalArgumentException("reference twice in one reservation: " + r.reference());
      }
    }
    // Monthly blocks move no balance: a shared lock lets the company's enqueues run side by side
    // and
    // still waits for a change of model (BillingAccounts.choose locks the wallet for update).
    // Packs:
    // a reservation that fits one slot takes it without the wallet's lock (see V44); any other
    // locks
    // the wallet and the slots and decides exactly; the CHECKs are the last line of defence.
    // One read, unlocked, says which way to go (and, for the fast way, all it needs).
    record Account(String model, boolean smsAvailable, boolean emailFallback) {}
    Optional<Account> account =
        jdbc.sql(
                """
                SELECT a.model, %s AS available, a.email_fallback
                FROM billing_account a JOIN company c ON c.id = a.tenant_id
                WHERE a.tenant_id = :tenant
                """
                    .formatted(dev.herald.tenant.Company.smsAvailableSql("c")))
            .param("tenant", tenant.value())
            .query((rs, n) -> new Account(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3)))
            .optional();
    String model = account.map(Account::model).orElse(null);
    boolean fastWay = SmsModel.PACKS.code().equals(model) && account.get().smsAvailable();
    boolean postpaid = SmsModel.BLOCKS.code().equals(model);
    if (fastWay) {
      Optional<CreditReservation> fast =
          fromASlot(tenant, idempotencyKey, requests, account.get().emailFallback());
      if (fast.isPresent()) {
        return fast.get();
      }
    }
    Optional<WalletState> locked = lockedWallet(tenant, postpaid ? "SHARE" : "UPDATE");
    if (!postpaid && locked.isPresent() && locked.get().prepaid() && locked.get().smsAvailable()) {
      // While this waited for the wallet, the exact way of another reservation may have filled the
      // slots again: take one rather than gather them all (which would wait for every reservation
      // that holds one, and send the next ones this way too).
      Optional<CreditReservation> fast =
          fromASlot(tenant, idempotencyKey, requests, locked.get().emailFallback());
      if (fast.isPresent()) {
        return fast.get();
      }
    }
    if (postpaid && locked.isPresent() && locked.get().prepaid()) {
      locked = lockedWallet(tenant, "UPDATE"); // the model changed meanwhile
    }
    if (locked.isEmpty() || !locked.get().smsAvailable()) {
      return CreditReservation.noSms();
    }
    WalletState wallet = locked.get();
    boolean prepaid = wallet.prepaid();
    if (prepaid) {
      wallet = gatherSlots(tenant, wallet);
    }
    List<UUID> refs = new ArrayList<>();
    List<Integer> units = new ArrayList<>();
    long total = 0;
    for (CreditRequest r : requests) {
      if (prepaid && total + r.units() > wallet.balance()) {
        break;
      }
      total += r.units();
      refs.add(r.reference());
      units.add(r.units());
    }
    UUID ledgerId = Ids.next();
    Timestamp now = Timestamp.from(clock.instant());
    if (!insertReserveRow(tenant, ledgerId, idempotencyKey, total, prepaid, now)) {
      return earlierReservation(tenant, idempotencyKey, wallet.emailFallback());
    }
    if (!refs.isEmpty()) {
      jdbc.sql(
              """
              WITH reserved AS (
                  INSERT INTO credit_reservation (tenant_id, reference, ledger_id, units, prepaid, created_at)
                  SELECT :tenant, r.reference, :ledger, r.units, :prepaid, :now
                  FROM unnest(:refs::uuid[], :units::integer[]) AS r(reference, units)
                  RETURNING units)
              UPDATE credit_wallet SET balance = balance - :total, updated_at = :now
              WHERE tenant_id = :tenant AND :total > 0
              """)
          .param("tenant", tenant.value())
          .param("ledger", ledgerId)
          .param("prepaid", prepaid)
          .param("now", now)
          .param("refs", refs.toArray(UUID[]::new))
          .param("units", units.toArray(Integer[]::new))
          .param("total", prepaid ? total : 0L)
          .update();
    }
    if (prepaid) {
      announceCrossings(tenant, wallet.balance(), wallet.balance() - total, wallet.threshold());
      spreadOverSlots(tenant, wallet.balance() - total, wallet.threshold(), now);
    }
    return new CreditReservation(
        new HashSet<>(refs), total, CreditReservation.Refusal.NONE, wallet.emailFallback());
  }

  /**
   * Moves the credit of the company's slots back to its wallet row, under the wallet's lock: before
   * a change of threshold, so that no slot holds credit at or below the new one.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  void gatherAll(TenantId tenant) {
    lockedWallet(tenant, "UPDATE").ifPresent(w -> gatherSlots(tenant, w));
  }

  /**
   * How many slots a company's prepaid credit is spread over: more than the transactions that can
   * reserve at once (the connection pool), so a single send nearly always finds a free one.
   */
  static final int SLOTS = 32;

  /** A company's balance in SQL, over its wallet row under {@code alias}: the wallet plus slots. */
  static String balanceSql(String alias) {
    return ("(%1$s.balance + coalesce((SELECT sum(s.balance) FROM credit_wallet_slot s"
            + " WHERE s.tenant_id = %1$s.tenant_id), 0))")
        .formatted(alias);
  }

  /**
   * The fast way on packs: the whole request from one slot that holds enough and that no other
   * transaction holds, without the wallet's lock. Empty when none does (then the exact way). The
   * caller has checked that the company is on packs and may send SMS.
   */
  private Optional<CreditReservation> fromASlot(
      TenantId tenant, String idempotencyKey, List<CreditRequest> requests, boolean emailFallback) {
    long need = requests.stream().mapToLong(CreditRequest::units).sum();
    if (need <= 0) {
      return Optional.empty();
    }
    Timestamp now = Timestamp.from(clock.instant());
    // The pick is evaluated once (MATERIALIZED): as a subquery in UPDATE ... FROM, the planner may
    // rescan it once per slot row (a nested loop after ANALYZE), and random() then picks several
    // slots, taking the credit from each of them.
    Optional<Integer> slot =
        jdbc.sql(
                """
                WITH pick AS MATERIALIZED (
                    SELECT slot FROM credit_wallet_slot
                    WHERE tenant_id = :tenant AND balance >= :need
                    ORDER BY random() LIMIT 1
                    FOR UPDATE SKIP LOCKED)
                UPDATE credit_wallet_slot s SET balance = s.balance - :need, updated_at = :now
                FROM pick
                WHERE s.tenant_id = :tenant AND s.slot = pick.slot
                RETURNING s.slot
                """)
            .param("tenant", tenant.value())
            .param("need", need)
            .param("now", now)
            .query(Integer.class)
            .optional();
    if (slot.isEmpty()) {
      return Optional.empty();
    }
    UUID ledgerId = Ids.next();
    if (!insertReserveRow(tenant, ledgerId, idempotencyKey, need, true, now)) {
      // A repeat of an earlier reservation: the slot gets its credit back in this transaction.
      jdbc.sql(
              """
              UPDATE credit_wallet_slot SET balance = balance + :need
              WHERE tenant_id = :tenant AND slot = :slot
              """)
          .param("need", need)
          .param("tenant", tenant.value())
          .param("slot", slot.get())
          .update();
      return Optional.of(earlierReservation(tenant, idempotencyKey, emailFallback));
    }
    jdbc.sql(
            """
            INSERT INTO credit_reservation (tenant_id, reference, ledger_id, units, prepaid, created_at)
            SELECT :tenant, r.reference, :ledger, r.units, true, :now
            FROM unnest(:refs::uuid[], :units::integer[]) AS r(reference, units)
            """)
        .param("tenant", tenant.value())
        .param("ledger", ledgerId)
        .param("now", now)
        .param("refs", requests.stream().map(CreditRequest::reference).toArray(UUID[]::new))
        .param("units", requests.stream().map(CreditRequest::units).toArray(Integer[]::new))
        .update();
    Set<UUID> all = new HashSet<>();
    requests.forEach(r -> all.add(r.reference()));
    return Optional.of(
        new CreditReservation(all, need, CreditReservation.Refusal.NONE, emailFallback));
  }

  private boolean insertReserveRow(
      TenantId tenant, UUID ledgerId, String key, long total, boolean prepaid, Timestamp now) {
    return jdbc.sql(
                """
                INSERT INTO credit_ledger (tenant_id, id, kind, units, balance_change, idempotency_key, created_at)
                VALUES (:tenant, :id, 'reserve', :units, :change, :key, :now)
                ON CONFLICT (tenant_id, kind, idempotency_key) DO NOTHING
                """)
            .param("tenant", tenant.value())
            .param("id", ledgerId)
            .param("units", total)
            .param("change", prepaid ? -total : 0)
            .param("key", key)
            .param("now", now)
            .update()
        == 1;
  }

  /**
   * Under the wallet's lock: every slot locked in order (waiting for reservations that hold one),
   * its credit moved back to the wallet row. Returns the wallet with the whole balance.
   */
  private WalletState gatherSlots(TenantId tenant, WalletState wallet) {
    Long gathered =
        jdbc.sql(
                """
                WITH locked AS (
                    SELECT slot, balance FROM credit_wallet_slot WHERE tenant_id = :tenant
                    ORDER BY slot FOR UPDATE),
                emptied AS (
                    UPDATE credit_wallet_slot s SET balance = 0
                    FROM locked l WHERE s.tenant_id = :tenant AND s.slot = l.slot AND l.balance > 0
                    RETURNING l.balance)
                SELECT coalesce(sum(balance), 0) FROM emptied
                """)
            .param("tenant", tenant.value())
            .query(Long.class)
            .single();
    if (gathered == 0) {
      return wallet;
    }
    jdbc.sql("UPDATE credit_wallet SET balance = balance + :g WHERE tenant_id = :tenant")
        .param("g", gathered)
        .param("tenant", tenant.value())
        .update();
    return new WalletState(
        wallet.balance() + gathered,
        wallet.model(),
        wallet.threshold(),
        wallet.plan(),
        wallet.unlocked(),
        wallet.emailFallback());
  }

  /**
   * Still under the wallet's lock: what is above the threshold (keeping one more in the wallet) is
   * spread evenly over the slots, for the next reservations to take without the wallet's lock.
   */
  private void spreadOverSlots(TenantId tenant, long balance, int threshold, Timestamp now) {
    long spreadable = balance - threshold - 1;
    long perSlot = spreadable / SLOTS;
    if (perSlot <= 0) {
      return;
    }
    jdbc.sql(
            """
            WITH slots AS (
                INSERT INTO credit_wallet_slot (tenant_id, slot, balance, updated_at)
                SELECT :tenant, g, :per, :now FROM generate_series(1, :slots) AS g
                ON CONFLICT (tenant_id, slot) DO UPDATE SET balance = credit_wallet_slot.balance + EXCLUDED.balance,
                                                          updated_at = EXCLUDED.updated_at
                RETURNING slot)
            UPDATE credit_wallet SET balance = balance - :per * (SELECT count(*) FROM slots)
            WHERE tenant_id = :tenant
            """)
        .param("tenant", tenant.value())
        .param("per", perSlot)
        .param("slots", SLOTS)
        .param("now", now)
        .update();
  }

  private Optional<WalletState> lockedWallet(TenantId tenant, String mode) {
    // The lock first, the reading after, in two statements: a statement that waits for a row lock
    // re-reads only the locked row, not the rows it joins, so a threshold or model committed by
    // the transaction it waited for would be read stale (the next statement sees it).
    boolean found =
        jdbc.sql(
                "SELECT tenant_id FROM credit_wallet WHERE tenant_id = :tenant FOR %s"
                    .formatted(mode))
            .param("tenant", tenant.value())
            .query(UUID.class)
            .optional()
            .isPresent();
    if (!found) {
      return Optional.empty();
    }
    return jdbc.sql(
            """
            SELECT w.balance, a.model, a.low_credit_threshold, c.plan, c.sms_unlocked,
                   a.email_fallback
            FROM credit_wallet w
            JOIN billing_account a ON a.tenant_id = w.tenant_id
            JOIN company c ON c.id = w.tenant_id
            WHERE w.tenant_id = :tenant
            """)
        .param("tenant", tenant.value())
        .query((rs, n) ->
            new WalletState(
                rs.getLong(1),
                rs.getString(2),
                rs.getInt(3),
                rs.getString(4),
                rs.getBoolean(5),
                rs.getBoolean(6)))
        .optional();
  }

  /**
   * What {@link #reserve} would answer now, without reserving: for a preview before a bulk action
   * (the SMS it will use, the credit left, how many would find none). Reads, locks nothing.
   */
  public CreditOutlook outlook(TenantId tenant, List<CreditRequest> requests) {
    Optional<WalletState> wallet =
        jdbc.sql(
                """
                SELECT %s, a.model, a.low_credit_threshold, c.plan, c.sms_unlocked,
                       a.email_fallback
                FROM credit_wallet w
                JOIN billing_account a ON a.tenant_id = w.tenant_id
                JOIN company c ON c.id = w.tenant_id
                WHERE w.tenant_id = :tenant
                """
                    .formatted(balanceSql("w")))
            .param("tenant", tenant.value())
            .query((rs, n) ->
                new WalletState(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getInt(3),
                    rs.getString(4),
                    rs.getBoolean(5),
                    rs.getBoolean(6)))
            .optional();
    if (wallet.isEmpty() || !wallet.get().smsAvailable()) {
      return new CreditOutlook(Set.of(), 0, false, 0, false, false);
    }
    WalletState w = wallet.get();
    Set<UUID> covered = new HashSet<>();
    long total = 0;
    for (CreditRequest r : requests) {
      if (w.prepaid() && total + r.units() > w.balance()) {
        break;
      }
      total += r.units();
      covered.add(r.reference());
    }
    return new CreditOutlook(covered, total, true, w.balance(), w.prepaid(), w.emailFallback());
  }

  private CreditReservation earlierReservation(TenantId tenant, String key, boolean emailFallback) {
    List<Object[]> rows =
        jdbc.sql(
                """
                SELECT r.reference, r.units FROM credit_ledger l
                JOIN credit_reservation r ON r.tenant_id = l.tenant_id AND r.ledger_id = l.id
                WHERE l.tenant_id = :tenant AND l.kind = 'reserve' AND l.idempotency_key = :key
                """)
            .param("tenant", tenant.value())
            .param("key", key)
            .query((rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getLong(2)})
            .list();
    Set<UUID> refs = new HashSet<>();
    long units = 0;
    for (Object[] row : rows) {
      refs.add((UUID) row[0]);
      units += (Long) row[1];
    }
    return new CreditReservation(refs, units, CreditReservation.Refusal.NONE, emailFallback);
  }

  /**
   * Makes reservations final (no balance change) and records the usage: one usage row per batch and
   * company. A reference already captured or released is left alone.
   */
  @Transactional(propagation = Propagation.REQUIRED)
  public void capture(UUID batchId, List<CreditUse> uses) {
    Objects.requireNonNull(batchId, "batch");
    settle("captured", batchId, uses);
  }

  /**
   * Gives reservations back (prepaid ones to the balance), at most once per reference ever, one
   * ledger row per company.
   */
  @Transactional(propagation = Propagation.REQUIRED)
  public void release(List<CreditUse> uses) {
    settle("released", null, uses);
  }

  private void settle(String outcome, UUID batchId, List<CreditUse> uses) {
    if (uses.isEmpty()) {
      return;
    }
    int n = uses.size();
    UUID[] tenants = new UUID[n];
    UUID[] refs = new UUID[n];
    Map<UUID, UUID> ledgerOfTenant = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      tenants[i] = uses.get(i).tenantId().value();
      refs[i] = uses.get(i).reference();
      ledgerOfTenant.computeIfAbsent(tenants[i], t -> Ids.next());
    }
    boolean capture = outcome.equals("captured");
    String key = capture ? "capture:" + batchId + ":" : "release:";
    if (!capture) {
      // A release may touch several companies' wallets: lock them in one order, so two releases
      // of overlapping companies wait for each other instead of deadlocking.
      jdbc.sql(
              """
              SELECT tenant_id FROM credit_wallet WHERE tenant_id = ANY(:ids::uuid[])
              ORDER BY tenant_id FOR UPDATE
              """)
          .param("ids", ledgerOfTenant.keySet().toArray(UUID[]::new))
          .query(UUID.class)
          .list();
    }
    // One statement: the settlement rows (their primary key keeps each reference to one outcome),
    // one ledger row per company, then the usage row (capture) or the balance (release).
    String tail =
        capture
            ? """
            INSERT INTO sms_usage (tenant_id, batch_id, units, recorded_at)
            SELECT tenant_id, :batch, units, :now FROM ledger WHERE units > 0
            ON CONFLICT (tenant_id, batch_id) DO UPDATE SET units = sms_usage.units + EXCLUDED.units
            """
            : """
            UPDATE credit_wallet w SET balance = w.balance + l.balance_change, updated_at = :now
            FROM ledger l WHERE w.tenant_id = l.tenant_id AND l.balance_change > 0
            """;
    var spec =
        jdbc.sql(
                """
                WITH input AS (
                    SELECT * FROM unnest(:tenants::uuid[], :refs::uuid[]) AS i(tenant_id, reference)),
                ledgers AS (
                    SELECT * FROM unnest(:ltenants::uuid[], :lids::uuid[]) AS l(tenant_id, ledger_id)),
                settled AS (
                    INSERT INTO credit_settlement (tenant_id, reference, outcome, units, ledger_id, settled_at)
                    SELECT r.tenant_id, r.reference, :outcome, r.units, l.ledger_id, :now
                    FROM input i
                    JOIN credit_reservation r ON r.tenant_id = i.tenant_id AND r.reference = i.reference
                    JOIN ledgers l ON l.tenant_id = i.tenant_id
                    ON CONFLICT (tenant_id, reference) DO NOTHING
                    RETURNING tenant_id, reference, units, ledger_id),
                per_company AS (
                    SELECT s.tenant_id, s.ledger_id, sum(s.units) AS units,
                           coalesce(sum(s.units) FILTER (WHERE r.prepaid), 0) AS prepaid_units
                    FROM settled s
                    JOIN credit_reservation r ON r.tenant_id = s.tenant_id AND r.reference = s.reference
                    GROUP BY s.tenant_id, s.ledger_id),
                ledger AS (
                    INSERT INTO credit_ledger (tenant_id, id, kind, units, balance_change, idempotency_key, created_at)
                    SELECT tenant_id, ledger_id, :kind, units,
                           CASE WHEN :kind = 'release' THEN prepaid_units ELSE 0 END,
                           :key || ledger_id, :now
                    FROM per_company
                    RETURNING tenant_id, units, balance_change)
                """
                    + tail)
            .param("tenants", tenants)
            .param("refs", refs)
            .param("ltenants", ledgerOfTenant.keySet().toArray(UUID[]::new))
            .param("lids", ledgerOfTenant.values().toArray(UUID[]::new))
            .param("outcome", outcome)
            .param("kind", capture ? "capture" : "release")
            .param("key", key)
            .param("now", Timestamp.from(clock.instant()));
    if (capture) {
      spec = spec.param("batch", batchId);
    }
    spec.update();
  }

  /**
   * Adds prepaid credit (a purchase, an operator's gift); a repeated idempotency key adds nothing.
   * Returns whether this call added it.
   */
  @Transactional(propagation = Propagation.REQUIRED)
  public boolean grant(TenantId tenant, long units, String idempotencyKey, String reason) {
    Objects.requireNonNull(tenant, "tenant");
    requireKey(idempotencyKey);
    if (units <= 0) {
      throw new IllegalArgumentException("a grant adds at least one SMS");
    }
    String model =
        jdbc.sql(
                """
                SELECT a.model FROM credit_wallet w JOIN billing_account a ON a.tenant_id = w.tenant_id
                WHERE w.tenant_id = :tenant FOR UPDATE OF w
                """)
            .param("tenant", tenant.value())
            .query(String.class)
            .optional()
            .orElse(null);
    if (!SmsModel.PACKS.code().equals(model)) {
      throw new IllegalStateException("credit is granted to companies on packs only");
    }
    return jdbc.sql(
                """
                WITH l AS (
                    INSERT INTO credit_ledger (tenant_id, id, kind, units, balance_change, idempotency_key, reason, created_at)
                    VALUES (:tenant, :id, 'grant', :units, :units, :key, :reason, :now)
                    ON CONFLICT (tenant_id, kind, idempotency_key) DO NOTHING
                    RETURNING units)
                UPDATE credit_wallet w SET balance = w.balance + l.units, updated_at = :now
                FROM l WHERE w.tenant_id = :tenant
                """)
            .param("tenant", tenant.value())
            .param("id", Ids.next())
            .param("units", units)
            .param("key", idempotencyKey)
            .param("reason", reason)
            .param("now", Timestamp.from(clock.instant()))
            .update()
        == 1;
  }

  /**
   * Takes the company's wallet lock in the caller's transaction ahead of a reservation, for a
   * caller that must look at something first under the same lock (delivery's dedupe keys: a
   * duplicate that waited for the lock then sees the first one committed, and reserves nothing).
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void lockWallet(TenantId tenant) {
    jdbc.sql("SELECT tenant_id FROM credit_wallet WHERE tenant_id = :tenant FOR UPDATE")
        .param("tenant", tenant.value())
        .query(UUID.class)
        .optional();
  }

  /** The prepaid balance in SMS; 0 for a company without a wallet. */
  public long balance(TenantId tenant) {
    return jdbc.sql(
            "SELECT " + balanceSql("w") + " FROM credit_wallet w WHERE w.tenant_id = :tenant")
        .param("tenant", tenant.value())
        .query(Long.class)
        .optional()
        .orElse(0L);
  }

  /** Prepaid units reserved and not yet captured or released. */
  public long outstanding(TenantId tenant) {
    return jdbc.sql(
            """
            SELECT coalesce(sum(r.units), 0) FROM credit_reservation r
            LEFT JOIN credit_settlement s ON s.tenant_id = r.tenant_id AND s.reference = r.reference
            WHERE r.tenant_id = :tenant AND r.prepaid AND s.reference IS NULL
            """)
        .param("tenant", tenant.value())
        .query(Long.class)
        .single();
  }

  private void announceCrossings(TenantId tenant, long before, long after, int threshold) {
    if (before > 0 && after == 0) {
      events.publishEvent(new CreditUsedUp(Ids.next(), tenant));
    } else if (before > threshold && after <= threshold) {
      events.publishEvent(new CreditLow(Ids.next(), tenant, after, threshold));
    }
  }

  private static void requireKey(String key) {
    if (key == null || key.isEmpty() || key.length() > 200) {
      throw new IllegalArgumentException("an idempotency key of 1 to 200 characters is required");
    }
  }
}
