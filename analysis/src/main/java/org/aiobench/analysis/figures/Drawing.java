package org.aiobench.analysis.figures;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * One figure of the report as files: figures/&lt;id&gt;.png and figures/&lt;id&gt;.svg, both painted by the same
 * code on a Graphics2D (the PNG for the report, the SVG for print).
 */
public record Drawing(String id, int width, int height, Consumer<Graphics2D> painter) {

    /** The file names this drawing writes, relative to the figures directory. */
    public List<String> files() {
        return List.of(id + ".png", id + ".svg");
    }

    public void write(Path dir) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        paint(g);
        g.dispose();
        ImageIO.write(img, "png", dir.resolve(id + ".png").toFile());

        VectorGraphics2D vg = new VectorGraphics2D();
        paint(vg);
        Document doc = new SVGProcessor().getDocument(vg.getCommands(), new PageSize(0, 0, width, height));
        try (OutputStream out = Files.newOutputStream(dir.resolve(id + ".svg"))) {
            doc.writeTo(out);
        }
    }

    private void paint(Graphics2D g) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        painter.accept(g);
    }
}
