package dev.transfusion.samples.ablate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict on each claim: the paper's direction beyond two standard errors, against it, or noise. */
class AblationTableTest {

    static Map<String, Map<String, Double>> results(double baseline, double causal, double baselineCaptions,
                                                    double unlimitedCaptions) {
        Map<String, Map<String, Double>> r = new LinkedHashMap<>();
        r.put("baseline", Map.of("n", 100.0, "text_to_image_all", baseline, "caption_accuracy", baselineCaptions));
        r.put("causal-spans", Map.of("n", 100.0, "text_to_image_all", causal, "caption_accuracy", 0.5));
        r.put("no-noise-limit", Map.of("n", 100.0, "text_to_image_all", 0.5, "caption_accuracy", unlimitedCaptions));
        return r;
    }

    static String verdict(List<Map<String, Object>> claims, String claim) {
        return claims.stream().filter(c -> c.get("claim").equals(claim)).map(c -> (String) c.get("verdict"))
                .findFirst().orElseThrow(() -> new AssertionError("no row for " + claim + " in " + claims));
    }

    @Test
    void aDifferenceBeyondTwoStandardErrorsIsReproducedOrReversedAndASmallOneIsNoise() {
        var claims = AblationTable.claims(results(0.90, 0.60, 0.80, 0.82), 100);
        // 0.90 vs 0.60 at n = 100: SE = sqrt(.09/100 + .24/100) = 0.057, the gap 0.30 > 2 SE
        assertEquals("reproduced", verdict(claims, "bidirectional attention inside an image beats causal"));
        assertTrue(verdict(claims, "limiting image-first noise to t < 500 helps captioning").startsWith("within noise"));
        claims = AblationTable.claims(results(0.40, 0.80, 0.30, 0.80), 100);
        assertEquals("reversed", verdict(claims, "bidirectional attention inside an image beats causal"));
        assertEquals("reversed", verdict(claims, "limiting image-first noise to t < 500 helps captioning"));
    }

    @Test
    void aClaimWhoseArmIsMissingHasNoRowAndADistanceIsBetterLower() {
        Map<String, Map<String, Double>> r = new LinkedHashMap<>();
        r.put("baseline", Map.of("text_to_image_class", 0.8, "frechet", 40.0));
        r.put("causal-spans", Map.of("text_to_image_class", 0.8, "frechet", 55.0));
        var claims = AblationTable.claims(r, 100);
        assertEquals(2, claims.size(), claims.toString());   // only the two attention rows: no U-Net, no guidance arms
        assertEquals("reproduced", verdict(claims, "bidirectional attention inside an image beats causal (distance)"));
        assertEquals("text_to_image_class", claims.get(0).get("metric"));
        String md = AblationTable.markdown(AblationArm.all(), r, 100, 500);
        assertTrue(md.contains("| baseline | the recipe | 500 steps | ddim-25, g 3 | 0.800 | 40.0 |"), md);
        assertTrue(md.contains("| frechet | baseline vs causal-spans | 40.0 vs 55.0 | reproduced |"), md);
    }

    @Test
    void aLowerDenoisingLossIsTheBetterOne() {
        Map<String, Map<String, Double>> r = new LinkedHashMap<>();
        r.put("baseline", Map.of("text_to_image_all", 0.84, AblationTable.DDPM_LOSS, 0.0962));
        r.put("causal-spans", Map.of("text_to_image_all", 0.915, AblationTable.DDPM_LOSS, 0.1180));
        var claims = AblationTable.claims(r, 200);
        assertEquals("reproduced", verdict(claims, "bidirectional attention inside an image beats causal (denoising loss)"));
        assertEquals("reversed", verdict(claims, "bidirectional attention inside an image beats causal"));
        assertTrue(AblationTable.markdown(AblationArm.all(), r, 200, 2000).contains("| 0.0962 |"));
    }

    @Test
    void anUnknownArmIsRefusedListingTheKnownOnes() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.transfusion.api.InvalidInputException.class,
                () -> AblationArm.named(List.of("baseline", "sideways")));
        assertTrue(e.getMessage().contains("'sideways'") && e.getMessage().contains("causal-spans"), e.getMessage());
    }
}
