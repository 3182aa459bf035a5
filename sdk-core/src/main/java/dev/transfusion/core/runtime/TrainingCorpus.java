package dev.transfusion.core.runtime;

import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Part;
import dev.transfusion.api.TextPart;
import dev.transfusion.core.data.DocumentSource;
import dev.transfusion.core.data.ImageFolderSource;
import dev.transfusion.core.data.JsonlDocumentSource;
import dev.transfusion.core.data.TextFileSource;
import dev.transfusion.core.shapes.ShapesCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where training examples come from, by the {@code --data} argument: a folder of images described by
 * {@code metadata.jsonl} or {@code manifest.tsv} (caption/image pairs), a {@code .jsonl} file of
 * interleaved documents, or a {@code .txt} file or folder of them (text documents), or the built-in
 * {@code shapes} data set.
 */
public final class TrainingCorpus {
    /** The name of the built-in data set. */
    public static final String SHAPES = "shapes";

    private TrainingCorpus() {
    }

    /** The examples of {@code data}: a built-in name or a path. */
    public static List<RawExample> read(String data, long seed) {
        if (data.equals(SHAPES)) {
            return ShapesCorpus.examples(seed);
        }
        Path path = Path.of(data);
        if (!Files.exists(path)) {
            throw new InvalidInputException("training data '" + data + "' is neither the built-in data set '"
                    + SHAPES + "' nor an existing file or folder");
        }
        if (Files.isDirectory(path) && (Files.exists(path.resolve(ImageFolderSource.METADATA_JSONL))
                || Files.exists(path.resolve(ImageFolderSource.MANIFEST_TSV)))) {
            ImageFolderSource images = ImageFolderSource.open(path);
            List<RawExample> out = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                out.add(new RawExample.Pair(images.entries().get(i).caption(), images.image(i)));
            }
            return out;
        }
        if (path.toString().endsWith(".jsonl")) {
            return documents(JsonlDocumentSource.open(path));
        }
        return documents(TextFileSource.open(path));
    }

    private static List<RawExample> documents(DocumentSource source) {
        List<RawExample> out = new ArrayList<>();
        for (int i = 0; i < source.size(); i++) {
            out.add(new RawExample.Doc(source.get(i)));
        }
        return out;
    }

    /** Every text in the examples, for training a tokenizer. */
    public static List<String> texts(List<RawExample> examples) {
        List<String> texts = new ArrayList<>();
        for (RawExample e : examples) {
            if (e instanceof RawExample.Pair p) {
                texts.add(p.caption());
            } else if (e instanceof RawExample.QuestionAnswer qa) {
                texts.add(qa.question());
                texts.add(qa.answer());
            } else {
                for (Part part : ((RawExample.Doc) e).document().parts()) {
                    if (part instanceof TextPart t) {
                        texts.add(t.text());
                    }
                }
            }
        }
        return texts;
    }

    /** Whether any example holds an image (then a codec is needed). */
    public static boolean hasImages(List<RawExample> examples) {
        for (RawExample e : examples) {
            if (!(e instanceof RawExample.Doc d) || d.document().parts().stream().anyMatch(p -> p instanceof ImagePart)) {
                return true;
            }
        }
        return false;
    }
}
