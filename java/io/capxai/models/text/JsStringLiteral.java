package io.capxai.models.text;

/**
 * Decodes one JavaScript string literal from source text: the CLIP vocabulary ships as
 * {@code let obj = { "text": "..." }} in a JS module, with {@code \n}, {@code \"} and
 * {@code \\} escapes (and, in principle, any other JS escape, all handled here).
 */
final class JsStringLiteral {
    private JsStringLiteral() {}

    /** The value of the string literal that follows {@code "key":} in {@code source}. */
    static String valueOf(String source, String key, String what) {
        int k = source.indexOf("\"" + key + "\"");
        if (k < 0) {
            k = source.indexOf(key + ":");
        }
        if (k < 0) {
            throw new IllegalArgumentException(what + ": no '" + key + "' property found");
        }
        int colon = source.indexOf(':', k);
        int i = colon + 1;
        while (i < source.length() && Character.isWhitespace(source.charAt(i))) {
            i++;
        }
        if (colon < 0 || i >= source.length() || (source.charAt(i) != '"' && source.charAt(i) != '\'')) {
            throw new IllegalArgumentException(what + ": property '" + key + "' is not a string literal");
        }
        return decode(source, i, what);
    }

    /** Decodes the literal whose opening quote is at {@code start}. */
    static String decode(String s, int start, String what) {
        char quote = s.charAt(start);
        StringBuilder out = new StringBuilder(s.length() - start);
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == quote) {
                return out.toString();
            }
            if (c == '\n' || c == '\r') {
                throw new IllegalArgumentException(what + ": unterminated string literal (raw line break at " + (i - 1) + ")");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i >= s.length()) {
                break;
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000b');
                case '0' -> out.append('\0');
                case 'x' -> {
                    out.append((char) hex(s, i, 2, what));
                    i += 2;
                }
                case 'u' -> {
                    if (i < s.length() && s.charAt(i) == '{') {
                        int close = s.indexOf('}', i);
                        if (close < 0) {
                            throw new IllegalArgumentException(what + ": bad \\u{...} escape at " + i);
                        }
                        out.appendCodePoint(hex(s, i + 1, close - i - 1, what));
                        i = close + 1;
                    } else {
                        out.append((char) hex(s, i, 4, what));
                        i += 4;
                    }
                }
                case '\r' -> {
                    // line continuation: backslash + CRLF or CR contributes nothing
                    if (i < s.length() && s.charAt(i) == '\n') {
                        i++;
                    }
                }
                case '\n', '\u2028', '\u2029' -> { }
                default -> out.append(e); // \" \' \\ \/ and any other character escape
            }
        }
        throw new IllegalArgumentException(what + ": unterminated string literal starting at " + start);
    }

    private static int hex(String s, int from, int len, String what) {
        if (len <= 0 || from + len > s.length()) {
            throw new IllegalArgumentException(what + ": truncated escape at " + from);
        }
        try {
            int v = Integer.parseInt(s.substring(from, from + len), 16);
            if (v > Character.MAX_CODE_POINT) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": bad hex escape '" + s.substring(from, from + len) + "'");
        }
    }
}
