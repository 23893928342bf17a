package io.capxai.weights;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TorchScriptArchiveTest {

    @Test
    void scriptedModuleFlattensToItsStateDict() {
        StateDict dict = TorchScriptArchive.read(ReferenceCheckpoints.file("torchscript.pt"));
        // every tensor of module.state_dict(), nested names included, and nothing else
        ReferenceCheckpoints.assertMatches("torchscript", dict);
        assertFalse(dict.contains("training_steps"));
        assertFalse(dict.contains("mask"), "a plain tensor attribute is not state");
        assertEquals(java.util.List.of("scale", "offset", "scratch", "block.conv.weight"),
                dict.keys().stream().limit(4).toList(), "state_dict() order: parameters, buffers, submodules");
        assertEquals("__torch__.Net", dict.metadata().get("torchscript.class"));
    }

    @Test
    void halfPrecisionArchiveIsConvertedToFloat32() {
        // OpenAI's CLIP archives store fp16 weights
        ReferenceCheckpoints.assertMatches("torchscript_half", Weights.load(ReferenceCheckpoints.file("torchscript_half.pt")));
    }

    @Test
    void tracedClipLikeArchiveWithMixedPrecisionHasOpenAiNames() {
        // traced (mangled class names), fp16 weights beside fp32 norms, as OpenAI's RN50.pt
        StateDict dict = Weights.load(ReferenceCheckpoints.file("clip_like_traced.pt"));
        ReferenceCheckpoints.assertMatches("clip_like_traced", dict);
        dict.get("transformer.resblocks.1.attn.in_proj_weight", 24, 8);
        dict.get("logit_scale");
    }

    @Test
    void plainStateDictIsNotATorchScriptArchive() {
        assertThrows(WeightsException.class, () -> TorchScriptArchive.read(ReferenceCheckpoints.file("state_dict.pt")));
    }
}
