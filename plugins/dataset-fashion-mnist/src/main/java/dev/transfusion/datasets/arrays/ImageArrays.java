package dev.transfusion.datasets.arrays;

import dev.transfusion.api.Document;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TrainingExample;
import dev.transfusion.core.io.IdxArray;
import dev.transfusion.core.io.NpyArray;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * A set of images held as arrays, the way MNIST-like sets ship: an image array (IDX or {@code .npy}) of shape
 * {@code [N, H, W]} (grey) or {@code [N, H, W, 1 or 3]}, unsigned bytes 0..255 (a float {@code .npy} may hold
 * 0..1), optionally a label array {@code [N]} of classes 0..K-1, and optionally a text file of the K class names,
 * one a line. With labels each image is captioned {@code a photo of a {name}} ({@code an} before a vowel; the
 * label number when there are no names) and one in ten is also asked {@value #QUESTION}; without labels each
 * image is a document of its own. Every error names the file and what was expected.
 *
 * @param images one per item, grey when the array has one channel
 * @param labels one class per image, or null
 * @param names  the class names, or null
 */
public record ImageArrays(List<RgbImage> images, int @Nullable [] labels, @Nullable List<String> names) {
    /** The question asked of one image in ten; its answer is the class name. */
    public static final String QUESTION = "what is this?";
    /** One question for this many captioned images. */
    static final int QUESTION_EVERY = 10;

    /** The array formats, by the name {@code --data} gives them. */
    public enum Format {
        IDX("idx"), NPY("npy");

        final String name;

        Format(String name) {
            this.name = name;
        }
    }

    /** What {@code --data FORMAT:ARGUMENT} expects. */
    static String syntax(Format format) {
        return format.name + ":IMAGES[,LABELS[,NAMES.txt]]";
    }

    /**
     * Reads {@code IMAGES[,LABELS[,NAMES.txt]]}, the argument of {@code --data idx:...} or {@code npy:...}.
     *
     * @throws InvalidInputException naming the file at fault and what was expected
     */
    public static ImageArrays open(Format format, String argument) {
        if (argument.isBlank()) {
            throw new InvalidInputException("data set '" + format.name + "' needs files: --data " + syntax(format));
        }
        String[] files = argument.split(",", -1);
        if (files.length > 3 || Arrays.stream(files).anyMatch(String::isBlank)) {
            throw new InvalidInputException("--data " + format.name + ":" + argument + " names " + files.length
                    + " files" + (files.length > 3 ? "" : ", one of them empty") + "; expected " + syntax(format));
        }
        Path imageFile = Path.of(files[0].trim());
        List<RgbImage> images = images(format, imageFile);
        int[] labels = null;
        List<String> names = null;
        if (files.length > 1) {
            Path labelFile = Path.of(files[1].trim());
            labels = labels(format, labelFile);
            if (labels.length != images.size()) {
                throw new InvalidInputException("labels " + labelFile + " hold " + labels.length + " labels but images "
                        + imageFile + " hold " + images.size() + " images; expected one label per image");
            }
            if (files.length > 2) {
                Path nameFile = Path.of(files[2].trim());
                names = names(nameFile);
                for (int i = 0; i < labels.length; i++) {
                    if (labels[i] >= names.size()) {
                        throw new InvalidInputException("labels " + labelFile + " hold " + labels[i] + " at index " + i
                                + " but " + nameFile + " names " + names.size() + " classes; expected labels 0.."
                                + (names.size() - 1));
                    }
                }
            }
        }
        return new ImageArrays(List.copyOf(images), labels, names == null ? null : List.copyOf(names));
    }

    /** The class name of image {@code i}: its name, or its label number; null without labels. */
    public @Nullable String name(int i) {
        if (labels == null) {
            return null;
        }
        return names == null ? Integer.toString(labels[i]) : names.get(labels[i]);
    }

    /** {@code a photo of a {name}}, {@code an} before a vowel. */
    public static String caption(String name) {
        return "a photo of " + ("aeiou".indexOf(Character.toLowerCase(name.charAt(0))) >= 0 ? "an " : "a ") + name;
    }

    /** The training mix: captioned images and questions (with labels), or one document per image. */
    public List<TrainingExample> examples(long seed) {
        List<TrainingExample> out = new ArrayList<>();
        if (labels == null) {
            for (RgbImage image : images) {
                out.add(new TrainingExample.Doc(Document.of(new ImagePart(image))));
            }
            return out;
        }
        for (int i = 0; i < images.size(); i++) {
            out.add(new TrainingExample.Pair(caption(name(i)), images.get(i)));
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int q = 0; q < images.size() / QUESTION_EVERY; q++) {
            int i = random.nextInt(images.size());
            out.add(new TrainingExample.QuestionAnswer(images.get(i), QUESTION, name(i)));
        }
        return out;
    }

    private static List<RgbImage> images(Format format, Path file) {
        long[] shape;
        byte[] levels;   // 0..255 as unsigned bytes: a 60,000-image set holds 47 MB, not four times that
        if (format == Format.IDX) {
            IdxArray a = IdxArray.read(file);
            shape = Arrays.stream(a.shape()).asLongStream().toArray();
            levels = a.values();
        } else {
            NpyArray a = NpyArray.read(file);
            shape = a.shape();
            levels = npyLevels(a, file);
        }
        boolean channelsLast = shape.length == 4;
        if (shape.length < 3 || shape.length > 4 || channelsLast && shape[3] != 1 && shape[3] != 3) {
            throw new InvalidInputException("images " + file + " have shape " + Arrays.toString(shape)
                    + "; expected [N, H, W] (grey) or [N, H, W, C] with C = 1 (grey) or 3 (RGB)");
        }
        int n = Math.toIntExact(shape[0]), h = Math.toIntExact(shape[1]), w = Math.toIntExact(shape[2]);
        int c = channelsLast ? (int) shape[3] : 1, per = h * w * c;
        List<RgbImage> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] px = Arrays.copyOfRange(levels, i * per, (i + 1) * per);
            out.add(c == 1 ? RgbImage.grey(w, h, px) : new RgbImage(w, h, px));
        }
        return out;
    }

    /** 0..255 levels of a .npy image array: whole numbers 0..255, or floats 0..1 scaled by 255. */
    private static byte[] npyLevels(NpyArray a, Path file) {
        double[] v = a.values();
        boolean unit = a.dtype().startsWith("<f") && Arrays.stream(v).allMatch(x -> x >= 0 && x <= 1);
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            double x = unit ? Math.round(v[i] * 255) : v[i];
            if (!(x >= 0 && x <= 255 && x == Math.rint(x))) {
                throw new InvalidInputException("images " + file + " hold " + v[i] + " at flat index " + i
                        + "; expected levels 0..255 (or floats 0..1)");
            }
            out[i] = (byte) x;
        }
        return out;
    }

    private static int[] labels(Format format, Path file) {
        long[] shape;
        double[] values;
        if (format == Format.IDX) {
            IdxArray a = IdxArray.read(file);
            shape = Arrays.stream(a.shape()).asLongStream().toArray();
            values = new double[a.values().length];
            for (int i = 0; i < values.length; i++) {
                values[i] = a.values()[i] & 0xff;
            }
        } else {
            NpyArray a = NpyArray.read(file);
            shape = a.shape();
            values = a.values();
        }
        if (shape.length != 1) {
            throw new InvalidInputException("labels " + file + " have shape " + Arrays.toString(shape)
                    + "; expected [N], one class per image");
        }
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] >= 0 && values[i] == Math.rint(values[i]) && values[i] < 1 << 20)) {
                throw new InvalidInputException("labels " + file + " hold " + values[i] + " at index " + i
                        + "; expected a class number 0, 1, 2, ...");
            }
            out[i] = (int) values[i];
        }
        return out;
    }

    private static List<String> names(Path file) {
        List<String> lines;
        try {
            lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("class names " + file + " do not exist; expected a text file, one name a line");
        } catch (MalformedInputException e) {
            throw new InvalidInputException("class names " + file + " are not UTF-8 text; expected one name a line");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read class names " + file + ": " + e.getMessage(), e);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);   // a final newline or two
        }
        if (lines.isEmpty()) {
            throw new InvalidInputException("class names " + file + " are empty; expected one name a line");
        }
        for (int i = 0; i < lines.size(); i++) {
            String name = lines.get(i).trim();
            if (name.isEmpty()) {
                throw new InvalidInputException("class names " + file + " line " + (i + 1) + " is empty; expected one "
                        + "name a line (the name of label " + i + ")");
            }
            lines.set(i, name);
        }
        return lines;
    }
}
