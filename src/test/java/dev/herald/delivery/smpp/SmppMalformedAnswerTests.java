package dev.herald.delivery.smpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.delivery.gateway.SubmitResult;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A submit_sm_resp that jSMPP cannot read (a message_id longer than SMPP's 65 octets): jSMPP looks
 * its request up, then only logs and answers generic_nack, completing nothing. The part is answered
 * all the same (an unknown outcome at the response timeout) and its window place comes back (found
 * by the session 8 review: the place was lost and the part never answered).
 */
class SmppMalformedAnswerTests {

  /** A raw SMSC: answers bind and enquire_link, records submit_sm and lets the test answer them. */
  static final class RawSmsc implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final List<int[]> submits = new CopyOnWriteArrayList<>(); // {sequence}
    volatile DataOutputStream out;
    final List<Socket> sockets = new CopyOnWriteArrayList<>();

    RawSmsc() throws IOException {
      Thread.ofPlatform()
          .daemon(true)
          .start(() -> {
            while (!server.isClosed()) {
              try {
                Socket s = server.accept();
                sockets.add(s);
                Thread.ofPlatform().daemon(true).start(() -> serve(s));
              } catch (IOException e) {
                return;
              }
            }
          });
    }

    int port() {
      return server.getLocalPort();
    }

    private void serve(Socket s) {
      try {
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream o = new DataOutputStream(s.getOutputStream());
        while (true) {
          int length = in.readInt();
          int id = in.readInt();
          in.readInt();
          int seq = in.readInt();
          in.readFully(new byte[length - 16]);
          switch (id) {
            case 0x00000009, 0x00000002, 0x00000001 -> {
              out = o;
              write(o, 0x80000000 | id, 0, seq, "raw\0".getBytes(StandardCharsets.US_ASCII));
            }
            case 0x00000015 -> write(o, 0x80000015, 0, seq, new byte[0]);
            case 0x00000006 -> write(o, 0x80000006, 0, seq, new byte[0]);
            case 0x00000004 -> submits.add(new int[] {seq});
            default -> {}
          }
        }
      } catch (IOException e) {
        // closed
      }
    }

    static void write(DataOutputStream o, int id, int status, int seq, byte[] body)
        throws IOException {
      synchronized (o) {
        o.writeInt(16 + body.length);
        o.writeInt(id);
        o.writeInt(status);
        o.writeInt(seq);
        o.write(body);
        o.flush();
      }
    }

    void answer(int seq, String messageId) throws IOException {
      write(out, 0x80000004, 0, seq, (messageId + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  RawSmsc smsc;
  SmppSmsGateway gateway;

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    if (smsc != null) {
      smsc.close();
    }
  }

  @Test
  void a_submit_sm_resp_jsmpp_cannot_read_is_answered_and_gives_its_window_place_back()
      throws Exception {
    smsc = new RawSmsc();
    SmppSettings settings =
        new SmppSettings(
            "smpp",
            "127.0.0.1",
            smsc.port(),
            "herald",
            "secret",
            "",
            1,
            1, // window 1
            "gsm",
            "relative",
            Duration.ofSeconds(30),
            Duration.ofSeconds(1), // response timeout 1 s
            Duration.ofSeconds(5),
            Duration.ofMillis(100),
            Duration.ofMillis(400),
            Duration.ofMillis(500),
            true,
            null,
            null,
            "transceiver");
    gateway = new SmppSmsGateway("smsc", settings, new RecordingInbox(), SmppSmsGatewayTests.CLOCK);
    gateway.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.boundBinds() == 1);

    CompletableFuture<SubmitResult> first =
        gateway.submit(SmppSmsGatewayTests.sms("+4520123456", "one", null));
    CompletableFuture<SubmitResult> second =
        gateway.submit(SmppSmsGatewayTests.sms("+4520123457", "two", null));
    await().atMost(Duration.ofSeconds(5)).until(() -> smsc.submits.size() == 1);

    // 100 octets: more than SMPP's message_id allows; jSMPP's decomposer throws PDUStringException
    smsc.answer(smsc.submits.getFirst()[0], "A".repeat(100));

    SubmitResult a;
    try {
      a = first.get(5, TimeUnit.SECONDS); // response timeout is 1 s
    } catch (java.util.concurrent.TimeoutException e) {
      a = null;
    }
    Thread.sleep(500);
    int written = smsc.submits.size();
    assertThat(a)
        .as(
            "the first part is answered (unknown) within the response timeout; submits written: "
                + written)
        .isNotNull();
    assertThat(written).as("the window place came back: the second part was written").isEqualTo(2);
  }
}
