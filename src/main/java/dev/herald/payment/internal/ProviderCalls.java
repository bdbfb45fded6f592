package dev.herald.payment.internal;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Every call to a payment provider runs on its own (virtual) thread and is given up after {@code
 * herald.payment.call-timeout}: a provider that does not answer is an error, never a stuck request.
 */
@Component
public class ProviderCalls implements DisposableBean {

  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Duration timeout;

  ProviderCalls(PaymentSettings settings) {
    this.timeout = settings.callTimeout();
  }

  /** A provider did not answer in time, or failed. */
  public static final class ProviderUnavailable
      extends dev.herald.payment.PaymentProviderUnavailable {
    public ProviderUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public <T> T call(String what, Supplier<T> call) {
    Future<T> future = executor.submit(call::get);
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ProviderUnavailable(what + ": no answer within " + timeout, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r && !(cause instanceof ProviderUnavailable)) {
        throw new ProviderUnavailable(what + ": " + r.getMessage(), r);
      }
      throw new ProviderUnavailable(what + " failed", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new ProviderUnavailable(what + ": interrupted", e);
    }
  }

  @Override
  public void destroy() {
    executor.shutdownNow();
  }
}
