package dev.transfusion.plugins.text;

import dev.transfusion.api.PluginException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds which files a path means and reads them into a tokenizer. */
final class TokenizerLoader {
    private static final String EXPECTED = "expected a Hugging Face tokenizer.json (byte-level BPE), GPT-2's "
            + "encoder.json with vocab.bpe beside it, or a directory holding either";

    private TokenizerLoader() {}

    /**
     * Loads {@code path}: a directory with {@code tokenizer.json} (preferred) or {@code encoder.json} +
     * {@code vocab.bpe}; one of the two GPT-2 files (the other is looked for beside it); or any other file,
     * read as a {@code tokenizer.json}.
     *
     * @throws PluginException naming the path and what was expected
     */
    static BpeTokenizer load(Path path) {
        BpeDefinition definition;
        String source;
        if (Files.isDirectory(path)) {
            Path json = path.resolve(TokenizerJson.FILE_NAME);
            Path encoder = path.resolve(Gpt2Files.ENCODER);
            Path merges = path.resolve(Gpt2Files.MERGES);
            if (Files.isRegularFile(json)) {
                definition = TokenizerJson.read(json);
                source = json.toString();
            } else if (Files.isRegularFile(encoder) && Files.isRegularFile(merges)) {
                definition = Gpt2Files.read(encoder, merges);
                source = encoder + " with " + merges;
            } else {
                throw new PluginException("directory " + path + " holds no tokenizer files; " + EXPECTED);
            }
        } else if (Files.isRegularFile(path)) {
            String name = path.getFileName().toString();
            if (name.equals(Gpt2Files.ENCODER) || name.equals(Gpt2Files.MERGES)) {
                Path encoder = path.resolveSibling(Gpt2Files.ENCODER);
                Path merges = path.resolveSibling(Gpt2Files.MERGES);
                Path missing = Files.isRegularFile(encoder) ? merges : encoder;
                if (!Files.isRegularFile(missing)) {
                    throw new PluginException(path + " is a GPT-2 file, but " + missing.getFileName()
                            + " is not beside it at " + missing + "; " + EXPECTED);
                }
                definition = Gpt2Files.read(encoder, merges);
                source = encoder + " with " + merges;
            } else {
                definition = TokenizerJson.read(path);
                source = path.toString();
            }
        } else {
            throw new PluginException(path + " does not exist or is not readable; " + EXPECTED);
        }
        return BpeTokenizer.create(definition.withDefaultSpecials(), source);
    }
}
