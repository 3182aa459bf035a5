package dev.transfusion.core.runtime;

import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Part;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.TrainingExample;
import dev.transfusion.api.spi.ModalityRegistry;
import dev.transfusion.core.data.DocumentSource;
import dev.transfusion.core.data.ImageFolderSource;
import dev.transfusion.core.data.JsonlDocumentSource;
import dev.transfusion.core.data.TextFileSource;
import dev.transfusion.core.plugin.DataSetRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Where training examples come from, by the {@code --data} argument: a data set registered by name (see
 * {@link dev.transfusion.api.spi.DataSetProvider}), a folder of images described by {@code metadata.jsonl}
 * or {@code manifest.tsv} (caption/image pairs), a {@code .jsonl} file of interleaved documents, or a
 * {@code .txt} file or folder of them (text documents). {@code a,b} mixes several: their examples together.
 * {@code NAME:ARGUMENT} hands the argument to the data set (see {@link dev.transfusion.core.plugin.DataSetSpec});
 * in a mix such an entry takes the rest of the text, commas included, so it comes last.
 */
public final class TrainingCorpus {
    /** File names ImageIO reads out of the box, to tell a folder of unlabelled images from an empty one. */
    private static final List<String> IMAGE_SUFFIXES = List.of(".png", ".jpg", ".jpeg", ".gif", ".bmp");

    private TrainingCorpus() {
    }

    /**
     * The examples of {@code data}: a path, a registered name, or several of either separated by commas.
     *
     * @throws InvalidInputException when a path is missing, holds nothing to train on (an empty folder, images
     *                               without a listing of their captions) or a listing is wrong
     */
    public static List<TrainingExample> read(String data, long seed, DataSetRegistry dataSets) {
        return read(data, seed, dataSets, null);
    }

    /**
     * As {@link #read(String, long, DataSetRegistry)}, with {@code .jsonl} parts of any continuous modality that
     * {@code registry} has a plugin for ({@code {"modality": "audio", "file": "a.wav"}}).
     */
    public static List<TrainingExample> read(String data, long seed, DataSetRegistry dataSets,
                                             @Nullable ModalityRegistry registry) {
        List<TrainingExample> out = readMix(data, seed, dataSets, registry);
        if (out.isEmpty()) {
            throw new InvalidInputException("training data '" + data + "' holds no examples; expected at least one "
                    + "captioned image, document or text");
        }
        return out;
    }

    private static List<TrainingExample> readMix(String data, long seed, DataSetRegistry dataSets,
                                                 @Nullable ModalityRegistry registry) {
        // a path that holds a comma is still one path
        if (Files.exists(Path.of(data)) || !data.contains(",")) {
            return readOne(data, seed, dataSets, registry);
        }
        List<TrainingExample> out = new ArrayList<>();
        for (String part : entries(data, dataSets)) {
            if (part.isBlank()) {
                throw new InvalidInputException("training data '" + data + "' has an empty entry; expected names "
                        + "or paths separated by single commas");
            }
            out.addAll(readOne(part.trim(), seed, dataSets, registry));
        }
        return out;
    }

    /** The comma-separated entries; one of the form NAME:ARGUMENT (a registered NAME) takes the rest. */
    private static List<String> entries(String data, DataSetRegistry dataSets) {
        List<String> entries = new ArrayList<>();
        String rest = data;
        while (true) {
            var spec = dataSets.findSpec(rest.trim());
            int comma = rest.indexOf(',');
            if (comma < 0 || spec.isPresent() && !spec.get().argument().isEmpty()) {
                entries.add(rest);
                return entries;
            }
            entries.add(rest.substring(0, comma));
            rest = rest.substring(comma + 1);
        }
    }

    private static List<TrainingExample> readOne(String data, long seed, DataSetRegistry dataSets,
                                                 @Nullable ModalityRegistry registry) {
        var named = dataSets.findSpec(data);
        if (named.isPresent()) {
            return named.get().examples(seed);
        }
        Path path = Path.of(data);
        if (!Files.exists(path)) {
            throw new InvalidInputException("training data '" + data + "' is neither a registered data set ("
                    + dataSets.registeredNames() + ") nor an existing file or folder");
        }
        if (Files.isDirectory(path) && (Files.exists(path.resolve(ImageFolderSource.METADATA_JSONL))
                || Files.exists(path.resolve(ImageFolderSource.MANIFEST_TSV)))) {
            ImageFolderSource images = ImageFolderSource.open(path);
            List<TrainingExample> out = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                out.add(new TrainingExample.Pair(images.entries().get(i).caption(), images.image(i)));
            }
            return out;
        }
        if (Files.isDirectory(path)) {
            refuseFolderWithoutData(path);
        }
        if (path.toString().endsWith(".jsonl")) {
            return documents(JsonlDocumentSource.open(path, registry));
        }
        return documents(TextFileSource.open(path));
    }

    /** A folder with no listing must hold .txt files: name what it holds instead and what was expected. */
    private static void refuseFolderWithoutData(Path folder) {
        long texts, images;
        try (Stream<Path> walk = Files.walk(folder)) {
            List<String> names = walk.filter(Files::isRegularFile)
                    .map(f -> f.getFileName().toString().toLowerCase(Locale.ROOT)).toList();
            texts = names.stream().filter(n -> n.endsWith(".txt")).count();
            images = names.stream().filter(n -> IMAGE_SUFFIXES.stream().anyMatch(n::endsWith)).count();
        } catch (IOException e) {
            throw new InvalidInputException("cannot list training data folder " + folder + ": " + e, e);
        }
        if (texts > 0) {
            return;
        }
        if (images > 0) {
            throw new InvalidInputException("training data folder " + folder + " has " + images + " image files but "
                    + "neither " + ImageFolderSource.METADATA_JSONL + " nor " + ImageFolderSource.MANIFEST_TSV
                    + " to caption them; expected " + ImageFolderSource.METADATA_JSONL + " lines like "
                    + "{\"file_name\": \"cat.jpg\", \"text\": \"a cat on a mat\"} (or " + ImageFolderSource.MANIFEST_TSV
                    + " lines file<TAB>text)");
        }
        throw new InvalidInputException("training data folder " + folder + " holds nothing to train on; expected "
                + "images listed in " + ImageFolderSource.METADATA_JSONL + " or " + ImageFolderSource.MANIFEST_TSV
                + ", or .txt files");
    }

    /** Every image in the examples, as read (before the codec fits them to its size). */
    static List<RgbImage> images(List<TrainingExample> examples) {
        List<RgbImage> out = new ArrayList<>();
        for (TrainingExample e : examples) {
            if (e instanceof TrainingExample.Pair p && p.part() instanceof ImagePart img) {
                out.add(img.image());
            } else if (e instanceof TrainingExample.QuestionAnswer qa && qa.part() instanceof ImagePart img) {
                out.add(img.image());
            } else if (e instanceof TrainingExample.Doc) {
                for (Part part : ((TrainingExample.Doc) e).document().parts()) {
                    if (part instanceof ImagePart img) {
                        out.add(img.image());
                    }
                }
            }
        }
        return out;
    }

    private static List<TrainingExample> documents(DocumentSource source) {
        List<TrainingExample> out = new ArrayList<>();
        for (int i = 0; i < source.size(); i++) {
            out.add(new TrainingExample.Doc(source.get(i)));
        }
        return out;
    }

    /** Every text in the examples, for training a tokenizer. */
    public static List<String> texts(List<TrainingExample> examples) {
        List<String> texts = new ArrayList<>();
        for (TrainingExample e : examples) {
            if (e instanceof TrainingExample.Pair p) {
                texts.add(p.caption());
            } else if (e instanceof TrainingExample.QuestionAnswer qa) {
                texts.add(qa.question());
                texts.add(qa.answer());
            } else {
                for (Part part : ((TrainingExample.Doc) e).document().parts()) {
                    if (part instanceof TextPart t) {
                        texts.add(t.text());
                    }
                }
            }
        }
        return texts;
    }

    /**
     * The continuous modalities the examples hold, images first, then by name: the model gets one patch coder
     * and one pair of begin/end tokens for each.
     */
    public static List<String> modalities(List<TrainingExample> examples) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        for (TrainingExample e : examples) {
            if (e instanceof TrainingExample.Pair p) {
                names.add(p.part().modality());
            } else if (e instanceof TrainingExample.QuestionAnswer qa) {
                names.add(qa.part().modality());
            } else {
                for (Part part : ((TrainingExample.Doc) e).document().parts()) {
                    if (!(part instanceof TextPart)) {
                        names.add(part.modality());
                    }
                }
            }
        }
        List<String> out = new ArrayList<>();
        if (names.remove(ImagePart.MODALITY)) {
            out.add(ImagePart.MODALITY);
        }
        out.addAll(names);
        return out;
    }
}
