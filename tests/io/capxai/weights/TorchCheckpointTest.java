package io.capxai.weights;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TorchCheckpointTest {

    @Test
    void stateDictZipMatchesTorchBitForBit() {
        // fp16, bf16, fp64 -> float32; int32 and int64 kept; views with offsets and strides.
        StateDict dict = TorchCheckpoint.read(ReferenceCheckpoints.file("state_dict.pt"));
        ReferenceCheckpoints.assertMatches("state_dict", dict);
        assertEquals(ScalarType.Long.value, dict.get("block.bn.num_batches_tracked").scalar_type().value);
        assertEquals(ScalarType.Int.value, dict.get("extra.int32").scalar_type().value);
    }

    @Test
    void viewsSharingAStorageBecomeIndependentTensors() {
        StateDict dict = TorchCheckpoint.read(ReferenceCheckpoints.file("state_dict.pt"));
        Tensor base = dict.get("extra.base");
        Tensor view = dict.get("extra.transposed_slice");
        float before = Tensors.toFloats(view)[0];
        base.fill_(new org.bytedeco.pytorch.Scalar(7.0f));
        assertEquals(before, Tensors.toFloats(view)[0], 0.0f);
    }

    @Test
    void trainingCheckpointIsUnwrappedToItsOnlyStateDict() {
        ReferenceCheckpoints.assertMatches("nested", TorchCheckpoint.read(ReferenceCheckpoints.file("nested.pt")));
    }

    @Test
    void legacyFormatIsRead() {
        ReferenceCheckpoints.assertMatches("legacy", TorchCheckpoint.read(ReferenceCheckpoints.file("legacy.pt")));
    }

    @Test
    void bigEndianArchiveIsByteSwapped() {
        ReferenceCheckpoints.assertMatches("big_endian", TorchCheckpoint.read(ReferenceCheckpoints.file("big_endian.pt")));
    }

    @Test
    void pickleCallingOsSystemIsRefusedAndNothingRuns() {
        Path file = ReferenceCheckpoints.file("evil_os_system.pt");
        WeightsException e = assertThrows(WeightsException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().contains("'os.system'"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertFalse(Files.exists(ReferenceCheckpoints.file("PWNED")), "the payload ran");
    }

    @Test
    void pickleCallingEvalThroughStackGlobalIsRefused() {
        WeightsException e = assertThrows(WeightsException.class,
                () -> Weights.load(ReferenceCheckpoints.file("evil_eval.pt")));
        assertTrue(e.getMessage().contains("'builtins.eval'"), e.getMessage());
        assertFalse(Files.exists(ReferenceCheckpoints.file("PWNED")), "the payload ran");
    }

    @Test
    void wholePickledModuleIsRefusedNamingItsClass() {
        WeightsException e = assertThrows(WeightsException.class,
                () -> TorchCheckpoint.read(ReferenceCheckpoints.file("whole_model.pt")));
        assertTrue(e.getMessage().contains("'__main__.Net'"), e.getMessage());
        assertTrue(e.getMessage().contains("state_dict()"), e.getMessage());
    }

    @Test
    void storageViewOutsideItsStorageIsRejectedBeforeLibtorchSeesIt() {
        Tensor storage = Tensors.fromFloats(new float[] {1, 2, 3, 4, 5, 6}, 6);
        Tensor ok = StridedView.of(storage, 1, new long[] {2, 2}, new long[] {1, 3}, "test");
        assertArrayEquals(new float[] {2, 5, 3, 6}, Tensors.toFloats(ok));
        WeightsException e = assertThrows(WeightsException.class,
                () -> StridedView.of(storage, 2, new long[] {2, 2}, new long[] {1, 3}, "test"));
        assertTrue(e.getMessage().contains("reaches element 6 of a storage of 6"), e.getMessage());
        assertThrows(WeightsException.class, () -> StridedView.of(storage, -1, new long[] {1}, new long[] {1}, "test"));
        assertThrows(WeightsException.class, () -> StridedView.of(storage, 0, new long[] {2}, new long[] {-1}, "test"));
    }
}
