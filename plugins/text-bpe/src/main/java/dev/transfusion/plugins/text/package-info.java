/**
 * The "text" modality: a byte-level BPE tokenizer in the style of GPT-2.
 *
 * <p>{@link dev.transfusion.plugins.text.BpeTextPlugin} is the plugin the SDK finds with
 * {@link java.util.ServiceLoader}; it loads GPT-2 ({@code encoder.json} + {@code vocab.bpe}) and Hugging Face
 * ({@code tokenizer.json}) byte-level BPE vocabularies, and trains new ones with
 * {@link dev.transfusion.plugins.text.BpeTrainer}. {@link dev.transfusion.plugins.text.BpeTokenizer} saves in the
 * Hugging Face {@code tokenizer.json} layout, so there is one file format for both directions.
 */
@NullMarked
package dev.transfusion.plugins.text;

import org.jspecify.annotations.NullMarked;
