package io.capxai.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImagesTest {
    @Test
    void colourMapsRunFromTheirLowToTheirHighColour() {
        assertEquals(0x000000, ColourMaps.heat(0f));
        assertEquals(0xffffff, ColourMaps.heat(1f));
        assertEquals(0xff0000, ColourMaps.heat(1 / 3f) & 0xff00ff, "a third of the way: full red, no blue");
        assertEquals(ColourMaps.heat(1f), ColourMaps.heat(7f), "clipped above 1");
        assertEquals(0x000000, ColourMaps.redYellow(0f));
        assertEquals(0xff0000, ColourMaps.redYellow(0.5f));
        assertEquals(0xffff00, ColourMaps.redYellow(1f));
        assertEquals(0xffffff, ColourMaps.diverging(0));
        assertEquals(0xb2182b, ColourMaps.diverging(1));
        assertEquals(0x2166ac, ColourMaps.diverging(-2));
        assertEquals(0x999999, ColourMaps.diverging(Double.NaN));
    }

    @Test
    void overlayAveragesTheImageAndTheColouredMap() {
        float[] chw = new float[3 * 1 * 2];
        chw[0] = 1f;                  // pixel 0 red
        chw[2 * 2 + 1] = 1f;          // pixel 1 blue
        BufferedImage base = Images.fromChw(chw, 1, 2);
        assertEquals(0xff0000, base.getRGB(0, 0) & 0xffffff);
        assertEquals(0x0000ff, base.getRGB(1, 0) & 0xffffff);
        BufferedImage out = Images.overlay(base, new float[] {1f, 0f});
        assertEquals(0xff7f00, out.getRGB(0, 0) & 0xffffff, "(red + yellow) / 2");
        assertEquals(0x00007f, out.getRGB(1, 0) & 0xffffff, "(blue + black) / 2");
        assertThrows(IllegalArgumentException.class, () -> Images.overlay(base, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> Images.fromChw(new float[5], 1, 2));
        assertThrows(IllegalArgumentException.class, () -> Images.fromChw(new float[] {Float.NaN, 0, 0}, 1, 1));
    }

    @Test
    void pngFileAndDataUriHoldTheSamePixels(@TempDir Path dir) throws Exception {
        BufferedImage img = Images.colour(new float[] {0f, 0.5f, 1f, 0.25f}, 2, 2, ColourMaps::heat);
        Path file = dir.resolve("sub/map.png");
        Images.writePng(img, file);
        BufferedImage fromFile = ImageIO.read(file.toFile());
        String uri = Images.pngDataUri(img);
        assertTrue(uri.startsWith("data:image/png;base64,"));
        BufferedImage fromUri = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(uri.substring(22))));
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                assertEquals(img.getRGB(x, y), fromFile.getRGB(x, y));
                assertEquals(img.getRGB(x, y), fromUri.getRGB(x, y));
            }
        }
        BufferedImage big = Images.enlarge(img, 8);
        assertEquals(8, big.getWidth());
        assertEquals(img.getRGB(1, 1), big.getRGB(7, 7));
    }
}
