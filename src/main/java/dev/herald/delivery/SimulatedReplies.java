package dev.herald.delivery;

import dev.herald.delivery.simulator.SimulatorSmsGateway;
import dev.herald.shared.FieldProblem;
import dev.herald.shared.InvalidInputException;
import dev.herald.shared.NotFoundException;
import dev.herald.shared.TenantId;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Replies typed on the simulator's page as the customer of an SMS the simulator received: taken in
 * through the same inbound path as a carrier's (stored, published as {@link InboundSmsReceived}),
 * from the recipient's number to the address the SMS came from. For the embedded default's demo.
 */
@Service
public class SimulatedReplies {

  /** The longest reply the form takes. */
  public static final int MAX_LENGTH = 640;

  private final JdbcClient jdbc;
  private final SimulatorSmsGateway simulator;

  SimulatedReplies(JdbcClient jdbc, SimulatorSmsGateway simulator) {
    this.jdbc = jdbc;
    this.simulator = simulator;
  }

  /**
   * The customer of simulated SMS {@code simulatedId} answers {@code text}; returns once stored.
   * Throws NotFoundException for an SMS of another company, InvalidInputException for no text.
   */
  public void reply(TenantId tenant, UUID simulatedId, String text) {
    String body = text == null ? "" : text.strip();
    if (body.isEmpty()) {
      throw new InvalidInputException(FieldProblem.of("text", "simulator.reply.empty"));
    }
    if (body.length() > MAX_LENGTH) {
      throw new InvalidInputException(
          FieldProblem.of("text", "simulator.reply.tooLong", MAX_LENGTH));
    }
    String[] addresses =
        jdbc.sql("SELECT recipient, sender FROM simulator_sms WHERE tenant_id = :t AND id = :id")
            .param("t", tenant.value())
            .param("id", simulatedId)
            .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
            .optional()
            .orElseThrow(() -> new NotFoundException("simulated SMS"));
    try {
      simulator.reply(addresses[0], addresses[1], body).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while storing a simulated reply", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the simulated reply could not be stored", e);
    }
  }
}
