package io.capxai.weights;

import net.razorvine.pickle.Pickler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The allow-list on hand-made pickles: no Python needed. */
class RestrictedUnpicklerTest {
    private static final RestrictedUnpickler.StorageSource NO_STORAGE = (key, type, numel) -> {
        throw new AssertionError("no storage expected");
    };

    private static Object load(byte[] pickle, boolean scriptObjects) {
        return RestrictedUnpickler.load(pickle, "test.pkl", NO_STORAGE, scriptObjects);
    }

    @Test
    void plainDataIsRead() throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("epoch", 3);
        data.put("losses", List.of(0.5, 0.25));
        data.put("name", "résumé");
        Object back = load(new Pickler().dumps(data), false);
        assertEquals(data.keySet(), ((Map<?, ?>) back).keySet());
        assertEquals(List.of(0.5, 0.25), ((Map<?, ?>) back).get("losses"));
        assertEquals("résumé", ((Map<?, ?>) back).get("name"));
    }

    @Test
    void everyOtherGlobalIsRefusedBeforeItIsCalled() {
        for (String global : new String[] {"os\nsystem", "posix\nsystem", "builtins\neval", "builtins\nexec",
                "subprocess\nPopen", "torch\nload", "__builtin__\nset", "copy_reg\n_reconstructor"}) {
            byte[] pickle = ("c" + global + "\n(S'touch /tmp/capxai-should-not-exist'\ntR.").getBytes(StandardCharsets.US_ASCII);
            WeightsException e = assertThrows(WeightsException.class, () -> load(pickle, true));
            assertTrue(e.getMessage().contains("'" + global.replace('\n', '.') + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("test.pkl"), e.getMessage());
        }
    }

    @Test
    void torchScriptClassesAreAllowedOnlyForArchives() {
        // GLOBAL '__torch__ Net', EMPTY_TUPLE, NEWOBJ, {'training': True}, BUILD, STOP
        byte[] pickle = bytes(0x80, 2, 'c', "__torch__\nNet\n", ')', 0x81, '}', 'X', le(8), "training", 0x88, 's', 'b', '.');
        ScriptObject net = (ScriptObject) load(pickle, true);
        assertEquals("__torch__.Net", net.className());
        assertEquals(true, net.attributes().get("training"));
        WeightsException e = assertThrows(WeightsException.class, () -> load(pickle, false));
        assertTrue(e.getMessage().contains("'__torch__.Net'"), e.getMessage());
    }

    @Test
    void absurdLengthsAndGarbageAreCorruptNotCrashes() {
        byte[] huge = bytes(0x80, 2, 'X', 0xff, 0xff, 0xff, 0x7f, '.');
        WeightsException e = assertThrows(WeightsException.class, () -> load(huge, false));
        assertTrue(e.getMessage().contains("a value of 2147483647 bytes"), e.getMessage());

        WeightsException truncated = assertThrows(WeightsException.class, () -> load(bytes(0x80, 2, '}', 'X', le(5), "ab"), false));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());

        byte[] noise = new byte[64];
        new java.util.Random(1).nextBytes(noise);
        noise[0] = (byte) 0x80;
        noise[1] = 2;
        assertThrows(WeightsException.class, () -> load(noise, false));
        // calling a plain value: R on (1, ())
        assertThrows(WeightsException.class, () -> load(bytes(0x80, 2, 'K', 1, ')', 'R', '.'), false));
    }

    /** Bytes from ints (one byte each), chars, strings and byte arrays. */
    private static byte[] bytes(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof Integer i) {
                out.write(i);
            } else if (p instanceof Character c) {
                out.write(c);
            } else if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            } else {
                out.writeBytes((byte[]) p);
            }
        }
        return out.toByteArray();
    }

    private static byte[] le(int n) {
        return new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16), (byte) (n >> 24)};
    }
}
