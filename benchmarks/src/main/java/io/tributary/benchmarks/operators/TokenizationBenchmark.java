package io.tributary.benchmarks.operators;

import io.tributary.events.MaskedTransaction;
import io.tributary.events.Transaction;
import io.tributary.jobs.pii.PiiMasker;
import io.tributary.jobs.pii.TokenizationKey;
import io.tributary.localstack.pipeline.PaymentEventGenerator;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Tokenizing the personal data of an online payment (card, e-mail, IP): two HMACs and a truncation. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TokenizationBenchmark {
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
