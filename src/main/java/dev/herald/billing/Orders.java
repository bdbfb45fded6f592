package dev.herald.billing;

import dev.herald.payment.Checkout;
import dev.herald.payment.CheckoutRequest;
import dev.herald.payment.Payee;
import dev.herald.payment.PaymentFailed;
import dev.herald.payment.PaymentMethod;
import dev.herald.payment.PaymentProviderUnavailable;
import dev.herald.payment.PaymentSettled;
import dev.herald.payment.Payments;
import dev.herald.payment.ReferenceKind;
import dev.herald.shared.EmailAddresses;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.Ids;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.Money;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.TenantId;
import dev.herald.tenant.Companies;
import dev.herald.tenant.Company;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Orders of SMS packs (H3, B2): a draft gets the buyer's billing details and a payment method, then
 * moves to awaiting payment with its price and taxes frozen from the server's price list (never
 * from a form), and a checkout is started with {@code payment} (the order's id is the payment's
 * opaque reference, the operator its payee). An operator-payee {@link PaymentSettled} of kind
 * {@link ReferenceKind#SMS_ORDER} pays the order, grants its credit (the order's idempotency key),
 * marks its invoice paid and unlocks SMS unless the operator blocked it, all in the settling
 * transaction: credited exactly once however often it is told.
 */
@Service
public class Orders {

  private static final Logger log = LoggerFactory.getLogger(Orders.class);

  /** A card, wallet or PayPal checkout is given up after this. */
  public static final Duration CHECKOUT_EXPIRY = Duration.ofHours(24);

  /** A bank transfer is awaited this long (a later one still pays the expired order). */
  public static final Duration TRANSFER_EXPIRY = Duration.ofDays(30);

  /**
   * A draft (never placed: no price frozen, no payment, no invoice) is forgotten this long after it
   * was started.
   */
  public static final Duration DRAFT_KEPT = Duration.ofDays(30);

  /** An order awaiting a checkout's payment this long is asked about again. */
  public static final Duration RECHECK_AFTER = Duration.ofMinutes(10);

  private final JdbcClient jdbc;
  private final Companies companies;
  private final BillingAccounts accounts;
  private final Pricing pricing;
  private final Invoices invoices;
  private final Credits credits;
  private final PaymentMethodChoices methods;
  private final Payments payments;
  private final SmsSubscriptions subscriptions;
  private final SmsOrderRefunds refunds;
  private final TransactionTemplate tx;
  private final Clock clock;

  Orders(
      JdbcClient jdbc,
      Companies companies,
      BillingAccounts accounts,
      Pricing pricing,
      Invoices invoices,
      Credits credits,
      PaymentMethodChoices methods,
      Payments payments,
      SmsSubscriptions subscriptions,
      SmsOrderRefunds refunds,
      PlatformTransactionManager transactions,
      Clock clock) {
    this.jdbc = jdbc;
    this.companies = companies;
    this.accounts = accounts;
    this.pricing = pricing;
    this.invoices = invoices;
    this.credits = credits;
    this.methods = methods;
    this.payments = payments;
    this.subscriptions = subscriptions;
    this.refunds = refunds;
    this.tx = new TransactionTemplate(transactions);
    this.clock = clock;
  }

  /** Longest Idempotency-Key an order keeps. */
  public static final int MAX_IDEMPOTENCY_KEY = 200;

  /** The buyer's billing details as typed. */
  public record Details(
      String name, String address, String country, String vatNumber, String email) {}

  /**
   * What the buyer does next: the checkout page, or the bank transfer's details; no checkout for an
   * order replayed (same Idempotency-Key) after it was closed.
   */
  public record Placed(SmsOrder order, Checkout checkout) {}

  /** Whether the company may order packs at all; empty when it may, else the reason's code. */
  public Optional<String> refusal(TenantId tenant) {
    Company company = companies.require(tenant);
    if (!company.plan().allowsSms()) {
      return Optional.of("orders.refused.plan");
    }
    BillingAccount account = accounts.ensure(tenant);
    if (account.model().isPresent() && account.model().get() == SmsModel.BLOCKS) {
      return Optional.of("orders.refused.blocks");
    }
    // Without a model yet, the first paid order decides: a pack may not be paid beside a first
    // block that awaits its payment (the one paid second could not be served).
    if (account.model().isEmpty() && awaiting(tenant, "first_block")) {
      return Optional.of("orders.refused.firstBlockWaiting");
    }
    return Optional.empty();
  }

  /**
   * Whether the company may buy the monthly subscription's first block; empty when it may, else the
   * reason's code: a premium plan is needed, a company on packs is not offered it, and one
   * subscription at a time (active, paid and waiting for the operator, or awaiting its payment).
   */
  public Optional<String> subscriptionRefusal(TenantId tenant) {
    Company company = companies.require(tenant);
    if (!company.plan().allowsSms()) {
      return Optional.of("orders.refused.plan");
    }
    BillingAccount account = accounts.ensure(tenant);
    if (account.model().isPresent() && account.model().get() == SmsModel.PACKS) {
      return Optional.of("orders.refused.packs");
    }
    Optional<SmsSubscription> current = subscriptions.find(tenant);
    if (current.isPresent() && current.get().active()) {
      return Optional.of("orders.refused.subscriptionActive");
    }
    Optional<String> firstInvoiceStatus =
        current
            .filter(SmsSubscription::requested)
            .map(SmsSubscription::firstInvoiceId)
            .flatMap(i -> invoices.find(tenant, i))
            .map(Invoice::status);
    if (firstInvoiceStatus.filter("paid"::equals).isPresent()) {
      return Optional.of("orders.refused.firstBlockPaid");
    }
    if (firstInvoiceStatus.filter("open"::equals).isPresent()) {
      // The operator invoiced the first block ahead: paying it again here would bill it twice.
      return Optional.of("orders.refused.firstBlockInvoiced");
    }
    if (awaiting(tenant, "first_block")) {
      return Optional.of("orders.refused.firstBlockWaiting");
    }
    if (account.model().isEmpty() && awaiting(tenant, "pack")) {
      return Optional.of("orders.refused.packWaiting");
    }
    return Optional.empty();
  }

  /** Whether an order of this kind awaits its payment. */
  private boolean awaiting(TenantId tenant, String kind) {
    return jdbc.sql(
            """
            SELECT EXISTS (SELECT 1 FROM sms_order WHERE tenant_id = :t AND kind = :kind
                             AND status = 'awaiting_payment')
            """)
        .param("t", tenant.value())
        .param("kind", kind)
        .query(Boolean.class)
        .single();
  }

  /** The company's first-block order awaiting its payment, if any (one at most). */
  public Optional<SmsOrder> waitingFirstBlock(TenantId tenant) {
    return jdbc.sql(
            """
            SELECT * FROM sms_order WHERE tenant_id = :t AND kind = 'first_block'
              AND status = 'awaiting_payment'
            """)
        .param("t", tenant.value())
        .query(Orders::map)
        .optional();
  }

  /** The monthly subscription's block in the company's currency (size and price per month). */
  public Pricing.BlockPrice block(TenantId tenant) {
    return pricing.block(accounts.ensure(tenant).currency());
  }

  /** Whether the operator set a paid first block to switch SMS on by itself (B2). */
  public boolean unlocksOnPayment() {
    return pricing.seller().unlockOnPayment();
  }

  /** The packs the company may buy: those of its currency. */
  public List<Pricing.Pack> packs(TenantId tenant) {
    return pricing.packs(accounts.ensure(tenant).currency());
  }

  /** The billing details kept from last time (or the company's own). */
  public Details lastDetails(TenantId tenant) {
    Company company = companies.require(tenant);
    BillingAccount a = accounts.ensure(tenant);
    return new Details(
        a.buyerName() != null ? a.buyerName() : company.name(),
        a.buyerAddress() != null ? a.buyerAddress() : "",
        a.buyerCountry() != null ? a.buyerCountry() : company.country(),
        a.buyerVatNumber() != null ? a.buyerVatNumber() : "",
        a.buyerEmail() != null ? a.buyerEmail() : "");
  }

  /** Starts a draft order of one of the company's packs (A1: a premium plan is needed). */
  @Transactional
  public SmsOrder start(TenantId tenant, String packIdTyped) {
    Optional<String> refused = refusal(tenant);
    if (refused.isPresent()) {
      throw new InvalidInputException(FieldProblem.of("pack", refused.get()));
    }
    Pricing.Pack pack = packOf(tenant, packIdTyped);
    UUID id = Ids.next();
    jdbc.sql(
            """
            INSERT INTO sms_order (tenant_id, id, status, pack_id, sms, currency, created_at)
            VALUES (:t, :id, 'draft', :pack, :sms, :cur, :now)
            """)
        .param("t", tenant.value())
        .param("id", id)
        .param("pack", pack.id())
        .param("sms", pack.sms())
        .param("cur", pack.price().currency().getCurrencyCode())
        .param("now", Timestamp.from(clock.instant()))
        .update();
    return require(tenant, id);
  }

  /**
   * Starts a draft order of the monthly subscription's first block (H1): one block of the company's
   * currency, invoiced for the coming month; refused with the reason when the company may not.
   */
  @Transactional
  public SmsOrder startSubscription(TenantId tenant) {
    Optional<String> refused = subscriptionRefusal(tenant);
    if (refused.isPresent()) {
      throw new InvalidInputException(FieldProblem.of("subscription", refused.get()));
    }
    Pricing.BlockPrice block = block(tenant);
    UUID id = Ids.next();
    jdbc.sql(
            """
            INSERT INTO sms_order (tenant_id, id, status, kind, sms, currency, created_at)
            VALUES (:t, :id, 'draft', 'first_block', :sms, :cur, :now)
            """)
        .param("t", tenant.value())
        .param("id", id)
        .param("sms", block.size())
        .param("cur", block.price().currency().getCurrencyCode())
        .param("now", Timestamp.from(clock.instant()))
        .update();
    return require(tenant, id);
  }

  /**
   * Checks and stores the billing details on a draft (every problem at once), and keeps them on the
   * billing account for next time.
   */
  @Transactional
  public SmsOrder saveDetails(TenantId tenant, UUID orderId, Details typed) {
    SmsOrder order = lockDraft(tenant, orderId);
    Details d = check(typed);
    jdbc.sql(
            """
            UPDATE sms_order SET buyer_name = :n, buyer_address = :a, buyer_country = :c,
                   buyer_vat_number = :v, buyer_email = :e, version = version + 1
            WHERE tenant_id = :t AND id = :id
            """)
        .param("n", d.name())
        .param("a", d.address())
        .param("c", d.country())
        .param("v", d.vatNumber())
        .param("e", d.email())
        .param("t", tenant.value())
        .param("id", order.id())
        .update();
    accounts.keepOrderDetails(tenant, d.name(), d.address(), d.country(), d.vatNumber(), d.email());
    return require(tenant, orderId);
  }

  /** Checks billing details: all problems at once; the VAT number in its country's format. */
  public static Details check(Details typed) {
    List<FieldProblem> problems = new ArrayList<>();
    String name = strip(typed.name());
    String address = strip(typed.address());
    String country = strip(typed.country()).toUpperCase(Locale.ROOT);
    String vat = strip(typed.vatNumber());
    String email = strip(typed.email());
    if (name.isEmpty()) {
      problems.add(FieldProblem.of("name", "orders.details.name.required"));
    } else if (name.length() > 200) {
      problems.add(FieldProblem.of("name", "orders.details.name.length", 200));
    }
    if (address.isEmpty()) {
      problems.add(FieldProblem.of("address", "orders.details.address.required"));
    } else if (address.length() > 500) {
      problems.add(FieldProblem.of("address", "orders.details.address.length", 500));
    }
    boolean countryOk =
        country.matches("[A-Z]{2}") && Arrays.asList(Locale.getISOCountries()).contains(country);
    if (!countryOk) {
      problems.add(FieldProblem.of("country", "orders.details.country.invalid"));
    }
    String vatNormal = null;
    if (!vat.isEmpty()) {
      Optional<String> normal = VatNumbers.normalize(countryOk ? country : null, vat);
      if (normal.isEmpty()) {
        problems.add(
            FieldProblem.of(
                "vatNumber",
                "orders.details.vat.format",
                VatNumbers.example(countryOk ? country : null).orElse("")));
      } else {
        vatNormal = normal.get();
      }
    }
    if (email.isEmpty()) {
      problems.add(FieldProblem.of("email", "orders.details.email.required"));
    } else if (email.length() > 254 || !EmailAddresses.isValid(email)) {
      problems.add(FieldProblem.of("email", "orders.details.email.invalid"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return new Details(name, address, country, vatNormal, email);
  }

  /** The methods offered to the order's buyer country. */
  public List<PaymentMethod> methodsFor(SmsOrder order) {
    return methods.forCountry(order.buyerCountry());
  }

  /** Chooses how a draft will be paid: one of the methods of its buyer's country. */
  @Transactional
  public SmsOrder chooseMethod(TenantId tenant, UUID orderId, String methodTyped) {
    SmsOrder order = lockDraft(tenant, orderId);
    if (!order.hasDetails()) {
      throw new InvalidInputException(FieldProblem.of("method", "orders.details.missing"));
    }
    PaymentMethod method = methodOf(order, methodTyped);
    jdbc.sql(
            "UPDATE sms_order SET method = :m, version = version + 1 WHERE tenant_id = :t AND id = :id")
        .param("m", method.name())
        .param("t", tenant.value())
        .param("id", orderId)
        .update();
    return require(tenant, orderId);
  }

  /** What the order costs now, from the server's price list (shown on the confirmation). */
  public Invoices.Quote quote(SmsOrder order) {
    return invoices.quote(buyer(order), order.currency(), List.of(priceListLine(order)));
  }

  /** The order's line priced from the server's list now: its pack, or one block of its currency. */
  private Invoices.LineDraft priceListLine(SmsOrder order) {
    if (order.firstBlock()) {
      Pricing.BlockPrice block = pricing.block(order.currency());
      return blockLine(order.tenantId(), block.size(), block.price());
    }
    Pricing.Pack pack =
        pricing.packs(order.currency()).stream()
            .filter(p -> p.id().equals(order.packId()))
            .findFirst()
            .orElseThrow(
                () -> new InvalidInputException(FieldProblem.of("pack", "orders.pack.gone")));
    return line(pack);
  }

  /** One block for the coming month from today in the company's zone, as the operator's unlock. */
  private Invoices.LineDraft blockLine(TenantId tenant, long size, Money price) {
    ZoneId zone = companies.require(tenant).timeZone();
    Instant now = clock.instant();
    return new Invoices.LineDraft(
        "block",
        1,
        size,
        price,
        now.atZone(zone).toLocalDate(),
        SmsSubscriptions.periodStart(now, zone, 1).atZone(zone).toLocalDate());
  }

  /**
   * The buyer confirmed the amount: the order's price and taxes are frozen from the price list and
   * a checkout is started (or, for an order already awaiting payment, the same one answered again).
   */
  public Placed place(TenantId tenant, UUID orderId, Locale locale, URI returnUrl) {
    SmsOrder frozen;
    try {
      frozen = tx.execute(s -> freeze(tenant, orderId));
    } catch (DuplicateKeyException e) {
      // Another first block of this company moved to awaiting payment at the same moment.
      throw new InvalidInputException(FieldProblem.of("order", "orders.refused.firstBlockWaiting"));
    }
    if (frozen.paymentId() != null) {
      return new Placed(frozen, checkoutOf(frozen));
    }
    Money total = frozen.total().orElseThrow();
    Checkout checkout;
    try {
      checkout =
          payments.startCheckout(
              new CheckoutRequest(
                  tenant,
                  Payee.operator(),
                  ReferenceKind.SMS_ORDER,
                  frozen.id().toString(),
                  total,
                  frozen.firstBlock()
                      ? frozen.sms() + " SMS / month (subscription)"
                      : frozen.sms() + " SMS",
                  frozen.method().orElseThrow(),
                  frozen.buyerCountry(),
                  frozen.buyerEmail() == null ? "" : frozen.buyerEmail(),
                  locale,
                  returnUrl,
                  "sms-order:" + frozen.id()));
    } catch (PaymentProviderUnavailable e) {
      // Nothing was charged: the order stays awaiting payment and placing it again asks again.
      log.warn("Checkout of order {} not started: {}", frozen.id(), e.getMessage());
      throw new InvalidInputException(FieldProblem.of("order", "orders.provider.unavailable"));
    }
    SmsOrder recorded = tx.execute(s -> recordCheckout(tenant, orderId, checkout));
    return new Placed(recorded, checkout);
  }

  /**
   * The REST API's order in one call: a draft with the details and method, placed at once. The same
   * idempotency key answers the same order.
   */
  public Placed create(
      TenantId tenant,
      String packIdTyped,
      Details details,
      String methodTyped,
      Locale locale,
      URI returnUrl,
      String idempotencyKey) {
    return create(
        tenant, null, packIdTyped, details, methodTyped, locale, returnUrl, idempotencyKey);
  }

  /** What the REST API's {@code kind} names: a pack (the default) or the monthly subscription. */
  public static final String KIND_SUBSCRIPTION = "subscription";

  /**
   * As {@link #create(TenantId, String, Details, String, Locale, URI, String)}, for a pack or, with
   * {@code kind} "subscription", the monthly subscription's first block (no pack id then).
   */
  public Placed create(
      TenantId tenant,
      String kindTyped,
      String packIdTyped,
      Details details,
      String methodTyped,
      Locale locale,
      URI returnUrl,
      String idempotencyKey) {
    String kindName = strip(kindTyped);
    if (!kindName.isEmpty() && !kindName.equals("pack") && !kindName.equals(KIND_SUBSCRIPTION)) {
      throw new InvalidInputException(FieldProblem.of("kind", "orders.kind.unknown"));
    }
    boolean firstBlock = kindName.equals(KIND_SUBSCRIPTION);
    if (firstBlock && !strip(packIdTyped).isEmpty()) {
      // Which of the two was meant cannot be told: neither is guessed.
      throw new InvalidInputException(FieldProblem.of("packId", "orders.kind.packId"));
    }
    if (idempotencyKey == null
        || idempotencyKey.isBlank()
        || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY) {
      throw new InvalidInputException(
          FieldProblem.of("Idempotency-Key", "api.idempotencyKey.invalid", MAX_IDEMPOTENCY_KEY));
    }
    UUID id =
        tx.execute(s -> {
          Optional<UUID> earlier = byIdempotencyKey(tenant, idempotencyKey);
          if (earlier.isPresent()) {
            SmsOrder first = require(tenant, earlier.get());
            boolean sameThing =
                firstBlock
                    ? first.firstBlock()
                    : !first.firstBlock()
                        && uuid(strip(packIdTyped)).equals(Optional.of(first.packId()));
            boolean same =
                sameThing
                    && first.method().map(Enum::name).orElse("").equals(methodTyped)
                    && sameBuyer(first, details);
            if (!same) {
              throw new InvalidInputException(
                  FieldProblem.of("Idempotency-Key", "api.idempotencyKey.otherBody"));
            }
            return earlier.get();
          }
          List<FieldProblem> problems = new ArrayList<>();
          Optional<String> refused = firstBlock ? subscriptionRefusal(tenant) : refusal(tenant);
          if (refused.isPresent()) {
            throw new InvalidInputException(
                FieldProblem.of(firstBlock ? "kind" : "packId", refused.get()));
          }
          Pricing.Pack pack = null;
          if (firstBlock) {
            Pricing.BlockPrice block = block(tenant);
            pack = new Pricing.Pack(null, block.size(), block.price());
          } else {
            try {
              pack = packOf(tenant, packIdTyped);
            } catch (InvalidInputException e) {
              e.problems().forEach(p -> problems.add(FieldProblem.of("packId", p.code())));
            }
          }
          Details d = null;
          try {
            d = check(details);
          } catch (InvalidInputException e) {
            problems.addAll(e.problems());
          }
          PaymentMethod method = null;
          if (d != null) {
            try {
              method = methodIn(methods.forCountry(d.country()), methodTyped);
            } catch (InvalidInputException e) {
              problems.addAll(e.problems());
            }
          }
          if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
          }
          UUID orderId = Ids.next();
          int inserted =
              jdbc.sql(
                      """
                      INSERT INTO sms_order (tenant_id, id, status, kind, pack_id, sms, currency,
                          buyer_name, buyer_address, buyer_country, buyer_vat_number, buyer_email,
                          method, idempotency_key, created_at)
                      VALUES (:t, :id, 'draft', :kind, :pack, :sms, :cur, :n, :a, :c, :v, :e, :m,
                              :key, :now)
                      ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL
                      DO NOTHING
                      """)
                  .param("t", tenant.value())
                  .param("id", orderId)
                  .param("kind", firstBlock ? "first_block" : "pack")
                  .param("pack", pack.id())
                  .param("sms", pack.sms())
                  .param("cur", pack.price().currency().getCurrencyCode())
                  .param("n", d.name())
                  .param("a", d.address())
                  .param("c", d.country())
                  .param("v", d.vatNumber())
                  .param("e", d.email())
                  .param("m", method.name())
                  .param("key", idempotencyKey)
                  .param("now", Timestamp.from(clock.instant()))
                  .update();
          if (inserted == 0) {
            return byIdempotencyKey(tenant, idempotencyKey).orElseThrow();
          }
          accounts.keepOrderDetails(
              tenant, d.name(), d.address(), d.country(), d.vatNumber(), d.email());
          return orderId;
        });
    SmsOrder order = require(tenant, id);
    if (!order.draft() && !order.awaitingPayment()) {
      // A replay after the order was paid (or failed, expired, cancelled): the order as it is now.
      return new Placed(order, null);
    }
    return place(tenant, id, locale, returnUrl);
  }

  /**
   * The buyer gives up a draft or an order not paid yet: its invoice is voided and its payment
   * given up. A bank transfer the buyer still sends is not lost: the payment stays expected (as
   * after an expiry), and when it arrives it pays the order.
   */
  public void cancel(TenantId tenant, UUID orderId) {
    SmsOrder cancelled =
        tx.execute(s -> {
          SmsOrder order = lock(tenant, orderId).orElseThrow(() -> new NotFoundException("Order"));
          if (!order.draft() && !order.awaitingPayment()) {
            return null;
          }
          close(order, SmsOrder.Status.CANCELLED, null);
          return order;
        });
    if (cancelled != null && cancelled.paymentId() != null) {
      cancelPayment(cancelled);
    }
  }

  public Optional<SmsOrder> find(TenantId tenant, UUID id) {
    return jdbc.sql("SELECT * FROM sms_order WHERE tenant_id = :t AND id = :id")
        .param("t", tenant.value())
        .param("id", id)
        .query(Orders::map)
        .optional();
  }

  public SmsOrder require(TenantId tenant, UUID id) {
    return find(tenant, id).orElseThrow(() -> new NotFoundException("Order"));
  }

  /** A company's orders that went beyond a draft, newest first. */
  public List<SmsOrder> of(TenantId tenant) {
    return jdbc.sql(
            """
            SELECT * FROM sms_order WHERE tenant_id = :t AND status <> 'draft'
            ORDER BY created_at DESC LIMIT 50
            """)
        .param("t", tenant.value())
        .query(Orders::map)
        .list();
  }

  /**
   * A payment arrived. Only an operator-payee payment of an SMS order pays an order; the whole
   * effect commits in the publisher's transaction, and an order already paid is left alone.
   */
  @EventListener
  void on(PaymentSettled settled) {
    if (!(settled.payee() instanceof Payee.Operator) || settled.kind() != ReferenceKind.SMS_ORDER) {
      return;
    }
    Optional<UUID> id = uuid(settled.reference());
    if (id.isEmpty()) {
      log.warn("SMS order payment {} with a reference that is no order", settled.paymentId());
      return;
    }
    Optional<SmsOrder> found = lock(settled.tenantId(), id.get());
    if (found.isEmpty() || found.get().total().isEmpty()) {
      return;
    }
    SmsOrder order = found.get();
    if (order.paid()) {
      if (!settled.paymentId().equals(order.paymentId())) {
        // Another payment paid it already (two checkouts, a card and a transfer): money taken
        // twice, kept for the operator to refund; the order stays paid once.
        refunds.due(
            order.tenantId(),
            settled.paymentId(),
            order.id(),
            settled.amount(),
            SmsOrderRefunds.Reason.PAID_TWICE);
      }
      return;
    }
    if (!order.total().get().equals(settled.amount())) {
      // A payment settles only the right amount; another amount is kept for the operator to refund.
      refunds.due(
          order.tenantId(),
          settled.paymentId(),
          order.id(),
          settled.amount(),
          SmsOrderRefunds.Reason.AMOUNT_DIFFERS);
      return;
    }
    pay(order, settled.paymentId(), settled.method());
  }

  /**
   * The operator marked an order's open invoice paid by hand (the console's invoices): the money
   * came, so the order is paid as by its payment; an order already paid is left alone.
   */
  @EventListener
  void on(InvoicePaid paid) {
    Optional<UUID> orderId =
        jdbc.sql(
                """
                SELECT id FROM sms_order WHERE tenant_id = :t AND invoice_id = :i
                  AND status IN ('awaiting_payment', 'expired', 'failed')
                """)
            .param("t", paid.tenantId().value())
            .param("i", paid.invoiceId())
            .query(UUID.class)
            .optional();
    orderId
        .flatMap(id -> lock(paid.tenantId(), id))
        .filter(o -> !o.paid() && o.total().isPresent())
        .ifPresent(o -> pay(o, o.paymentId(), null));
  }

  /**
   * Pays a locked order: its invoice, and then a pack's credit (the order's key) and SMS unlocked,
   * or the subscription's first block paid (started and unlocked where the operator chose so).
   */
  private void pay(SmsOrder order, UUID paymentId, PaymentMethod method) {
    TenantId tenant = order.tenantId();
    BillingAccount account = accounts.ensure(tenant);
    SmsModel model = order.firstBlock() ? SmsModel.BLOCKS : SmsModel.PACKS;
    if (account.model().isEmpty()) {
      accounts.choose(tenant, model.code(), order.currency().getCurrencyCode(), order.id());
    } else if (account.model().get() != model) {
      // Paid late (an expired order) after the operator moved the company to the other model: a
      // pack cannot be credited on blocks, nor a first block started on packs. The payment stays
      // recorded (settled) and is kept for the operator to refund; nothing else moves, and the
      // settlement (the operator's record, a provider's event) does not fail.
      log.warn(
          "Payment {} pays order {} of {} {}, but the company is on {} now: not applied",
          paymentId,
          order.id(),
          tenant,
          model.code(),
          account.model().get().code());
      if (paymentId != null) {
        refunds.due(
            tenant,
            paymentId,
            order.id(),
            order.total().get(),
            SmsOrderRefunds.Reason.MODEL_CHANGED);
      }
      return;
    }
    if (order.firstBlock() && firstMonthPaidByAnother(order)) {
      // A first block's order paid late (expired, or cancelled while awaiting its transfer) after
      // the company's first month was paid by another order: a second first month cannot be
      // sold. Nothing moves (no invoice, the subscription untouched); the money is kept for the
      // operator to refund.
      log.warn(
          "Payment {} pays first block order {} of {}, but its first month is paid already",
          paymentId,
          order.id(),
          tenant);
      if (paymentId != null) {
        refunds.due(
            tenant,
            paymentId,
            order.id(),
            order.total().get(),
            SmsOrderRefunds.Reason.FIRST_BLOCK_PAID);
      }
      return;
    }
    if (!order.firstBlock()) {
      credits.grant(tenant, order.sms(), "sms-order:" + order.id(), "order");
    }
    UUID invoiceId = order.invoiceId();
    Optional<Invoice> invoice =
        invoiceId == null ? Optional.empty() : invoices.find(tenant, invoiceId);
    Optional<Invoice> firstBlockOpen =
        order.firstBlock() ? openFirstInvoiceOfRunningSubscription(order) : Optional.empty();
    if ((invoice.isEmpty() || "void".equals(invoice.get().status()))
        && firstBlockOpen.isPresent()) {
      // A late payment after the operator unlocked by hand: it pays the first block the unlock
      // invoiced (still open) instead of billing that month a second time.
      invoiceId = firstBlockOpen.get().id();
    } else if (invoice.isEmpty() || "void".equals(invoice.get().status())) {
      // A card payment's invoice is issued now; a transfer's invoice voided at expiry is replaced.
      invoiceId = issueInvoice(order).id();
    }
    // The order is marked paid first: the InvoicePaid that marking the invoice publishes then
    // finds it past awaiting payment (the operator's own marking comes the other way round).
    jdbc.sql(
            """
            UPDATE sms_order SET status = 'paid', paid_at = :now, closed_at = :now, payment_id = :p,
                   invoice_id = :i, method = :m, failure_reason = NULL, version = version + 1
            WHERE tenant_id = :t AND id = :id
            """)
        .param("now", Timestamp.from(clock.instant()))
        .param("p", paymentId)
        .param("i", invoiceId)
        .param("m", method == null ? order.method().get().name() : method.name())
        .param("t", tenant.value())
        .param("id", order.id())
        .update();
    if (invoices.find(tenant, invoiceId).map(Invoice::open).orElse(false)) {
      invoices.markPaid(tenant, invoiceId);
    }
    if (order.firstBlock()) {
      subscriptions.firstBlockPaid(tenant, invoiceId);
    } else {
      companies.unlockSmsUnlessBlocked(tenant);
    }
  }

  /**
   * Whether the company's first month was paid already by another order or invoice: its
   * subscription runs, or waits for the operator's unlock with its first invoice paid. A running
   * subscription whose first invoice (the operator's, by hand) is still open is not: a late payment
   * pays that invoice.
   */
  private boolean firstMonthPaidByAnother(SmsOrder order) {
    Optional<SmsSubscription> current = subscriptions.find(order.tenantId());
    if (current.isEmpty() || !(current.get().active() || current.get().requested())) {
      return false;
    }
    UUID first = current.get().firstInvoiceId();
    if (first == null) {
      return current.get().active();
    }
    if (first.equals(order.invoiceId())) {
      return false;
    }
    return invoices.find(order.tenantId(), first).map(i -> "paid".equals(i.status())).orElse(false);
  }

  /** The running subscription's first invoice when it is still open and of the order's total. */
  private Optional<Invoice> openFirstInvoiceOfRunningSubscription(SmsOrder order) {
    return subscriptions
        .find(order.tenantId())
        .filter(SmsSubscription::active)
        .map(SmsSubscription::firstInvoiceId)
        .flatMap(id -> invoices.find(order.tenantId(), id))
        .filter(Invoice::open)
        .filter(i -> order.total().map(i.total()::equals).orElse(false));
  }

  /**
   * A checkout failed or expired: the order awaiting it fails, with the reason; never a paid one.
   */
  @EventListener
  void on(PaymentFailed failed) {
    if (!(failed.payee() instanceof Payee.Operator) || failed.kind() != ReferenceKind.SMS_ORDER) {
      return;
    }
    Optional<UUID> id = uuid(failed.reference());
    if (id.isEmpty()) {
      return;
    }
    lock(failed.tenantId(), id.get())
        .filter(SmsOrder::awaitingPayment)
        .filter(o -> o.paymentId() == null || o.paymentId().equals(failed.paymentId()))
        .ifPresent(o -> close(o, SmsOrder.Status.FAILED, failed.reason()));
  }

  /**
   * Expires orders whose payment did not come in time (their open invoice voided, keeping its
   * number; their checkout given up). Returns how many expired.
   */
  public int expireDue() {
    List<Object[]> due =
        jdbc.sql(
                """
                SELECT tenant_id, id FROM sms_order
                WHERE status = 'awaiting_payment' AND expires_at <= :now
                ORDER BY expires_at LIMIT 500
                """)
            .param("now", Timestamp.from(clock.instant()))
            .query(
                (rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)})
            .list();
    int expired = 0;
    for (Object[] row : due) {
      TenantId tenant = new TenantId((UUID) row[0]);
      SmsOrder order =
          tx.execute(s ->
              lock(tenant, (UUID) row[1])
                  .filter(SmsOrder::awaitingPayment)
                  .filter(o -> !o.expiresAt().isAfter(clock.instant()))
                  .map(o -> {
                    close(o, SmsOrder.Status.EXPIRED, "expired");
                    return o;
                  })
                  .orElse(null));
      if (order != null) {
        expired++;
        if (order.paymentId() != null) {
          cancelPayment(order);
        }
      }
    }
    return expired;
  }

  /**
   * Forgets drafts started more than {@link #DRAFT_KEPT} ago and never placed (a buyer who chose a
   * pack and left); returns how many. A draft being placed at that moment is skipped (locked).
   */
  public int forgetAbandonedDrafts() {
    return jdbc.sql(
            """
            DELETE FROM sms_order o
            USING (SELECT tenant_id, id FROM sms_order
                   WHERE status = 'draft' AND created_at <= :before
                   ORDER BY created_at LIMIT 500
                   FOR UPDATE SKIP LOCKED) old
            WHERE o.tenant_id = old.tenant_id AND o.id = old.id AND o.status = 'draft'
            """)
        .param("before", Timestamp.from(clock.instant().minus(DRAFT_KEPT)))
        .update();
  }

  /**
   * Asks payment again about card, wallet and PayPal orders awaiting payment for a while; a changed
   * state comes back as the same events a webhook publishes. Returns how many were asked about.
   */
  public int recheckWaiting() {
    Instant now = clock.instant();
    Timestamp before = Timestamp.from(now.minus(RECHECK_AFTER));
    List<Object[]> waiting =
        jdbc.sql(
                """
                SELECT tenant_id, payment_id FROM sms_order
                WHERE status = 'awaiting_payment' AND payment_id IS NOT NULL
                  AND method <> 'BANK_TRANSFER' AND awaiting_since <= :before
                  AND (rechecked_at IS NULL OR rechecked_at <= :before)
                ORDER BY awaiting_since LIMIT 100
                """)
            .param("before", before)
            .query(
                (rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)})
            .list();
    for (Object[] row : waiting) {
      TenantId tenant = new TenantId((UUID) row[0]);
      UUID payment = (UUID) row[1];
      try {
        payments.refresh(tenant, payment);
      } catch (RuntimeException e) {
        log.warn("Re-checking payment {} failed: {}", payment, e.toString());
      }
      jdbc.sql(
              """
              UPDATE sms_order SET rechecked_at = :now
              WHERE tenant_id = :t AND payment_id = :p AND status = 'awaiting_payment'
              """)
          .param("now", Timestamp.from(now))
          .param("t", tenant.value())
          .param("p", payment)
          .update();
    }
    return waiting.size();
  }

  // ---------------------------------------------------------------------------------------------

  private SmsOrder freeze(TenantId tenant, UUID orderId) {
    SmsOrder order = lock(tenant, orderId).orElseThrow(() -> new NotFoundException("Order"));
    if (order.awaitingPayment()) {
      return order;
    }
    if (!order.draft()) {
      throw new InvalidInputException(FieldProblem.of("order", "orders.closed"));
    }
    // Freezes of the company's orders, a change of its model and the operator's unlock take turns
    // on the billing account's row, so the refusals below see each other's outcome.
    accounts.lockRow(tenant);
    List<FieldProblem> problems = new ArrayList<>();
    if (!order.hasDetails()) {
      problems.add(FieldProblem.of("details", "orders.details.missing"));
    }
    if (order.method().isEmpty()) {
      problems.add(FieldProblem.of("method", "orders.method.missing"));
    } else if (order.hasDetails() && !methodsFor(order).contains(order.method().get())) {
      problems.add(FieldProblem.of("method", "orders.method.unknown"));
    }
    Optional<String> refused = order.firstBlock() ? subscriptionRefusal(tenant) : refusal(tenant);
    refused.ifPresent(r -> problems.add(FieldProblem.of("order", r)));
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    Invoices.LineDraft line = priceListLine(order);
    Invoices.Quote quote = invoices.quote(buyer(order), order.currency(), List.of(line));
    Instant now = clock.instant();
    Duration expiry = order.byBankTransfer() ? TRANSFER_EXPIRY : CHECKOUT_EXPIRY;
    jdbc.sql(
            """
            UPDATE sms_order SET status = 'awaiting_payment', sms = :sms, unit_price = :unit,
                   subtotal = :sub, tax_total = :tax, total = :total, reverse_charge = :rc,
                   awaiting_since = :now, expires_at = :exp, version = version + 1
            WHERE tenant_id = :t AND id = :id
            """)
        .param("sms", line.sms())
        .param("unit", line.unitPrice().minorUnits())
        .param("sub", quote.subtotal().minorUnits())
        .param("tax", quote.taxTotal().minorUnits())
        .param("total", quote.total().minorUnits())
        .param("rc", quote.reverseCharge())
        .param("now", Timestamp.from(now))
        .param("exp", Timestamp.from(now.plus(expiry)))
        .param("t", tenant.value())
        .param("id", orderId)
        .update();
    return require(tenant, orderId);
  }

  private SmsOrder recordCheckout(TenantId tenant, UUID orderId, Checkout checkout) {
    SmsOrder order = lock(tenant, orderId).orElseThrow();
    if (order.paymentId() != null) {
      return order;
    }
    switch (checkout) {
      case Checkout.Redirect r ->
          jdbc.sql(
                  """
                  UPDATE sms_order SET payment_id = :p, checkout_url = :u, version = version + 1
                  WHERE tenant_id = :t AND id = :id
                  """)
              .param("p", r.paymentId())
              .param("u", r.url().toString())
              .param("t", tenant.value())
              .param("id", orderId)
              .update();
      case Checkout.BankTransfer b -> {
        UUID invoiceId = order.invoiceId();
        if (invoiceId == null && order.awaitingPayment()) {
          invoiceId = issueInvoice(order).id();
          invoices.setPaymentInstructions(
              tenant,
              invoiceId,
              new Invoice.PaymentInstructions(
                  b.accountHolder(), b.iban(), b.bic(), b.creditorReference(), b.expectedBy()));
        }
        jdbc.sql(
                """
                UPDATE sms_order SET payment_id = :p, creditor_reference = :ref,
                       bank_account_holder = :holder, bank_iban = :iban, bank_bic = :bic,
                       expected_by = :by, invoice_id = :inv, version = version + 1
                WHERE tenant_id = :t AND id = :id
                """)
            .param("p", b.paymentId())
            .param("ref", b.creditorReference())
            .param("holder", b.accountHolder())
            .param("iban", b.iban())
            .param("bic", b.bic())
            .param("by", b.expectedBy())
            .param("inv", invoiceId)
            .param("t", tenant.value())
            .param("id", orderId)
            .update();
      }
    }
    return require(tenant, orderId);
  }

  private Checkout checkoutOf(SmsOrder order) {
    if (order.bank() != null) {
      SmsOrder.BankDetails b = order.bank();
      return new Checkout.BankTransfer(
          order.paymentId(),
          order.total().orElseThrow(),
          b.accountHolder(),
          b.iban(),
          b.bic(),
          b.creditorReference(),
          b.expectedBy());
    }
    return new Checkout.Redirect(order.paymentId(), URI.create(order.checkoutUrl()));
  }

  private Invoice issueInvoice(SmsOrder order) {
    Money unit = new Money(unitPrice(order), order.currency());
    if (order.firstBlock()) {
      return invoices.issue(
          order.tenantId(),
          "first_block",
          order.currency(),
          List.of(blockLine(order.tenantId(), order.sms(), unit)),
          buyer(order));
    }
    return invoices.issue(
        order.tenantId(),
        "purchase",
        order.currency(),
        List.of(new Invoices.LineDraft("pack", 1, order.sms(), unit, null, null)),
        buyer(order));
  }

  private long unitPrice(SmsOrder order) {
    return jdbc.sql("SELECT unit_price FROM sms_order WHERE tenant_id = :t AND id = :id")
        .param("t", order.tenantId().value())
        .param("id", order.id())
        .query(Long.class)
        .single();
  }

  private void close(SmsOrder order, SmsOrder.Status status, String reason) {
    Instant now = clock.instant();
    jdbc.sql(
            """
            UPDATE sms_order SET status = :s, failure_reason = :r, closed_at = :now, version = version + 1
            WHERE tenant_id = :t AND id = :id
            """)
        .param("s", status.code())
        .param("r", reason)
        .param("now", Timestamp.from(now))
        .param("t", order.tenantId().value())
        .param("id", order.id())
        .update();
    if (order.invoiceId() != null) {
      invoices.voidInvoice(order.tenantId(), order.invoiceId());
    }
  }

  private void cancelPayment(SmsOrder order) {
    try {
      payments.cancel(order.tenantId(), order.paymentId());
    } catch (RuntimeException e) {
      log.warn("Giving up payment {} failed: {}", order.paymentId(), e.toString());
    }
  }

  private static Invoices.Buyer buyer(SmsOrder order) {
    return new Invoices.Buyer(
        order.buyerName(),
        order.buyerAddress() == null ? "" : order.buyerAddress(),
        order.buyerCountry(),
        null,
        order.buyerVatNumber());
  }

  private static Invoices.LineDraft line(Pricing.Pack pack) {
    return new Invoices.LineDraft("pack", 1, pack.sms(), pack.price(), null, null);
  }

  private Pricing.Pack packOf(TenantId tenant, String typed) {
    Optional<UUID> id = uuid(typed);
    Currency currency = accounts.ensure(tenant).currency();
    return id.flatMap(
            i -> pricing.packs(currency).stream().filter(p -> p.id().equals(i)).findFirst())
        .orElseThrow(
            () -> new InvalidInputException(FieldProblem.of("pack", "orders.pack.unknown")));
  }

  private PaymentMethod methodOf(SmsOrder order, String typed) {
    return methodIn(methodsFor(order), typed);
  }

  private static PaymentMethod methodIn(List<PaymentMethod> offered, String typed) {
    return offered.stream()
        .filter(m -> m.name().equals(typed))
        .findFirst()
        .orElseThrow(
            () -> new InvalidInputException(FieldProblem.of("method", "orders.method.unknown")));
  }

  private SmsOrder lockDraft(TenantId tenant, UUID orderId) {
    SmsOrder order = lock(tenant, orderId).orElseThrow(() -> new NotFoundException("Order"));
    if (!order.draft()) {
      throw new InvalidInputException(FieldProblem.of("order", "orders.closed"));
    }
    return order;
  }

  private Optional<SmsOrder> lock(TenantId tenant, UUID id) {
    return jdbc.sql("SELECT * FROM sms_order WHERE tenant_id = :t AND id = :id FOR UPDATE")
        .param("t", tenant.value())
        .param("id", id)
        .query(Orders::map)
        .optional();
  }

  /** The order an Idempotency-Key created, if any. */
  public Optional<UUID> byIdempotencyKey(TenantId tenant, String key) {
    return jdbc.sql("SELECT id FROM sms_order WHERE tenant_id = :t AND idempotency_key = :k")
        .param("t", tenant.value())
        .param("k", key)
        .query(UUID.class)
        .optional();
  }

  /** Whether typed billing details are those an order was placed with (after normalising). */
  private static boolean sameBuyer(SmsOrder order, Details typed) {
    Details d;
    try {
      d = check(typed);
    } catch (InvalidInputException e) {
      return false;
    }
    return Objects.equals(d.name(), order.buyerName())
        && Objects.equals(d.address(), order.buyerAddress())
        && Objects.equals(d.country(), order.buyerCountry())
        && Objects.equals(d.vatNumber(), order.buyerVatNumber())
        && Objects.equals(d.email(), order.buyerEmail());
  }

  private static Optional<UUID> uuid(String s) {
    try {
      return s == null ? Optional.empty() : Optional.of(UUID.fromString(s.strip()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String strip(String s) {
    return s == null ? "" : s.strip();
  }

  static SmsOrder map(ResultSet rs, int row) throws SQLException {
    Currency currency = Currency.getInstance(rs.getString("currency"));
    String method = rs.getString("method");
    String holder = rs.getString("bank_account_holder");
    Timestamp expires = rs.getTimestamp("expires_at");
    Timestamp paid = rs.getTimestamp("paid_at");
    return new SmsOrder(
        new TenantId(rs.getObject("tenant_id", UUID.class)),
        rs.getObject("id", UUID.class),
        SmsOrder.Status.fromCode(rs.getString("status")),
        SmsOrder.Kind.fromCode(rs.getString("kind")),
        rs.getObject("pack_id", UUID.class),
        rs.getInt("sms"),
        currency,
        rs.getString("buyer_name"),
        rs.getString("buyer_address"),
        rs.getString("buyer_country") == null ? null : rs.getString("buyer_country").strip(),
        rs.getString("buyer_vat_number"),
        rs.getString("buyer_email"),
        Optional.ofNullable(method).map(PaymentMethod::valueOf),
        money(rs, "subtotal", currency),
        money(rs, "tax_total", currency),
        money(rs, "total", currency),
        rs.getBoolean("reverse_charge"),
        rs.getObject("payment_id", UUID.class),
        rs.getObject("invoice_id", UUID.class),
        rs.getString("checkout_url"),
        holder == null
            ? null
            : new SmsOrder.BankDetails(
                holder,
                rs.getString("bank_iban"),
                rs.getString("bank_bic"),
                rs.getString("creditor_reference"),
                rs.getObject("expected_by", LocalDate.class)),
        rs.getString("failure_reason"),
        rs.getTimestamp("created_at").toInstant(),
        expires == null ? null : expires.toInstant(),
        paid == null ? null : paid.toInstant());
  }

  private static Optional<Money> money(ResultSet rs, String column, Currency currency)
      throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(new Money(v, currency));
  }
}
