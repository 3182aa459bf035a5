package dev.transfusion.core.model;

import java.lang.reflect.Field;
import java.util.Set;
import org.nd4j.autodiff.samediff.internal.InferenceSession;

/**
 * Empties an inference session's record of the array ids it has released. SameDiff only ever adds to that
 * set (a few hundred ids a training step), so a long run would fill the heap with it; the ids of a finished
 * step are never seen again, because reused arrays get new ids ({@link StepArena}).
 */
final class FreedArrays {
    private static final Field FIELD = field();

    private FreedArrays() {
    }

    static void clear(InferenceSession session) {
        if (FIELD == null) {
            return;  // another nd4j version: nothing known to clear
        }
        try {
            ((Set<?>) FIELD.get(session)).clear();
        } catch (IllegalAccessException | ClassCastException e) {
            // leave it: the set only costs memory
        }
    }

    private static Field field() {
        try {
            Field f = InferenceSession.class.getDeclaredField("freedArrays");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
