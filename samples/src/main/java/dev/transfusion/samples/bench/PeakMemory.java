package dev.transfusion.samples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's peak resident set (VmHWM), which counts native memory that the JVM heap figures miss. */
public final class PeakMemory {
    private PeakMemory() {
    }

    /** Peak resident memory in MB, or -1 where /proc is not available. */
    public static long residentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
