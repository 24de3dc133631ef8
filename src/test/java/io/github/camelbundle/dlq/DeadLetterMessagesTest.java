package io.github.camelbundle.dlq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.camelbundle.merge.MergeBatch;
import io.github.camelbundle.monitor.PipelineMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** Issue 18: a dead letter too large for the DLQ producer is cut, with its original size and digest. */
class DeadLetterMessagesTest {

    private static DeadLetter letter(byte[] payload) {
        return new DeadLetter(DeadLetter.OVERSIZED, "OversizedRecord", "too big", "customer-data", 1, 42, "P1", payload,
                "kafka-to-merge", 0);
    }

    @Test
    void aPayloadOverTheLimitIsCutWithItsSizeAndSha256AndASmallOneIsUntouched() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024];
        Arrays.fill(big, (byte) 'z');
        big[0] = '{';
        byte[] small = "{\"eventId\":\"x\"}".getBytes();
        MergeBatch batch = new MergeBatch();
        batch.addDeadLetter(letter(big));
        batch.addDeadLetter(letter(small));
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            List<Message> messages = new DeadLetterMessages(new PipelineMetrics(new SimpleMeterRegistry()), 1000)
                    .toMessages(new DefaultExchange(context), batch);
            Message cut = messages.get(0);
            assertArrayEquals(Arrays.copyOf(big, 1000), cut.getBody(byte[].class));
            assertEquals(Integer.toString(big.length), cut.getHeader("dlq.original.size"));
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(big)),
                    cut.getHeader("dlq.original.sha256"));
            assertEquals("OVERSIZED", cut.getHeader("dlq.reason"));
            Message whole = messages.get(1);
            assertArrayEquals(small, whole.getBody(byte[].class));
            assertNull(whole.getHeader("dlq.original.size"));
        }
    }
}
