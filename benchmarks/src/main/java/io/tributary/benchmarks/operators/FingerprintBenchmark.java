package io.tributary.benchmarks.operators;

import io.tributary.events.MaskedTransaction;
import io.tributary.jobs.enrichment.ContentFingerprint;
import io.tributary.jobs.pii.PiiMasker;
import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import java.util.Base64;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The content fingerprint the enricher computes for every payment (deduplication tells retries from
 * conflicts by it), over 1,024 generated masked payments in turn, so that no single record's
 * values are learnt by the JIT.
 */
public class FingerprintBenchmark extends OperatorBenchmark {
    private MaskedTransaction[] payments;
    private int next;

    @Setup
    public void setUp() {
        PiiMasker masker = PiiMasker.create(TokenizationKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32])));
        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options().malformedRate(0));
        payments = new MaskedTransaction[1_024];
        for (int i = 0; i < payments.length; i++) {
            payments[i] = masker.mask(generator.next().transaction());
        }
    }

    @Benchmark
    public long fingerprint() {
        return ContentFingerprint.of(payments[next++ & (payments.length - 1)]);
    }
}
