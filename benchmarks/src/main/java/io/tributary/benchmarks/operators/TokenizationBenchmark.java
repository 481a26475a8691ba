package io.tributary.benchmarks.operators;

import io.tributary.events.MaskedTransaction;
import io.tributary.events.Transaction;
import io.tributary.jobs.pii.PiiMasker;
import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import java.util.Base64;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/** Tokenizing the personal data of an online payment (card, e-mail, IP): two HMACs and a truncation. */
public class TokenizationBenchmark extends OperatorBenchmark {
    private PiiMasker masker;
    private Transaction transaction;

    @Setup
    public void setUp() {
        masker = PiiMasker.create(TokenizationKey.fromBase64(Base64.getEncoder().encodeToString(new byte[32])));
        PaymentEventGenerator generator = new PaymentEventGenerator(new PaymentEventGenerator.Options().malformedRate(0));
        do {
            transaction = generator.next().transaction();
        } while (transaction.getEmail() == null);
    }

    @Benchmark
    public MaskedTransaction mask() {
        return masker.mask(transaction);
    }
}
