package dev.transfusion.samples.cli;

import dev.transfusion.core.parity.ReferenceFixture;
import dev.transfusion.samples.parity.ParityReport;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code transfusion parity}: compares the SameDiff graph with a PyTorch reference fixture directory. */
@Command(name = "parity",
        description = {"Run a reference fixture (made by transfusion_ref.py fixtures, any configuration) through the "
                + "SameDiff graph and print the relative error of logits, predicted noise, losses and gradients.",
            "Exits 1 when any figure is above its tolerance (outputs 1e-4, losses 1e-5, gradients 1e-3)."})
public final class ParityCommand implements Callable<Integer> {

    @Option(names = "--fixtures", required = true, paramLabel = "DIR", description = "The fixture directory.")
    Path fixtures;

    private final Terminal terminal;

    /** The command on {@code terminal}. */
    public ParityCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        ReferenceFixture f = ReferenceFixture.read(fixtures);
        ParityReport r = ParityReport.measure(f);
        var out = terminal.out();
        out.printf("config: dim %d, layers %d, heads %d, vocab %d, patch dim %d%n", f.config().dim(),
                f.config().layers(), f.config().heads(), f.config().vocab(), f.config().patchDim());
        line(out, "logits", r.logits(), ParityReport.OUTPUT_TOLERANCE);
        line(out, "eps_hat", r.epsHat(), ParityReport.OUTPUT_TOLERANCE);
        String[] losses = {"loss.lm", "loss.ddpm", "loss.total"};
        for (int i = 0; i < 3; i++) {
            line(out, losses[i], r.losses()[i], ParityReport.LOSS_TOLERANCE);
        }
        for (Map.Entry<String, Double> g : r.gradients().entrySet()) {
            line(out, "grad." + g.getKey(), g.getValue(), ParityReport.GRADIENT_TOLERANCE);
        }
        out.printf("worst gradient %.3e; %s%n", r.worstGradient(), r.passes() ? "PASS" : "FAIL");
        out.flush();
        return r.passes() ? 0 : 1;
    }

    private static void line(java.io.PrintWriter out, String name, double err, double tol) {
        out.printf("%-48s %.3e %s%n", name, err, err <= tol ? "ok" : "ABOVE " + tol);
    }
}
