package io.capxai.tensors;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NativeThreadsTest {
    @Test
    void setsTheOpenBlasSpinTimeoutWithoutOverridingTheUser() {
        String before = System.getenv("OPENBLAS_THREAD_TIMEOUT"); // Java's snapshot at start-up
        NativeThreads.configure();
        assertEquals(before != null ? before : NativeThreads.OPENBLAS_TIMEOUT, NativeThreads.environmentValue());
    }
}
