package app.noom.integration.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The YAML subset our deployment files use, parsed into Map / List / String (no type coercion: "8080" and 8080
 * both come back as the string 8080). SnakeYAML is not a dependency and {@code docker compose config} is not
 * installed here, so the tests read the files with this and fail loudly on anything outside the subset:
 * block mappings and sequences ({@code - key: value} items included), plain / single / double-quoted scalars,
 * one-level flow sequences and maps ({@code ["a", ""]}, {@code {}}), comments, {@code ---} documents.
 * Anchors, aliases, tags and block scalars are rejected rather than misread.
 */
final class MiniYaml {

  private record Line(int indent, String text, int number) {}

  private final List<Line> lines;
  private int pos;

  private MiniYaml(List<Line> lines) {
    this.lines = lines;
  }

  /** Every document of a multi-document stream; empty documents are dropped. */
  static List<Object> parseAll(String text) {
    List<Object> docs = new ArrayList<>();
    List<Line> current = new ArrayList<>();
    String[] raw = text.split("\n", -1);
    for (int i = 0; i < raw.length; i++) {
      String line = raw[i].replace("\r", "");
      if (line.equals("---") || line.startsWith("--- ")) {
        addDocument(docs, current);
        current = new ArrayList<>();
        continue;
      }
      int lead = 0;
      while (lead < line.length() && (line.charAt(lead) == ' ' || line.charAt(lead) == '\t')) lead++;
      if (line.substring(0, lead).indexOf('\t') >= 0 && lead < line.length() && line.charAt(lead) != '#') {
        throw error(i + 1, "tab in indentation");
      }
      String content = stripComment(line);
      if (content.isBlank()) continue;
      int indent = 0;
      while (content.charAt(indent) == ' ') indent++;
      current.add(new Line(indent, content.strip(), i + 1));
    }
    addDocument(docs, current);
    return docs;
  }

  /** A single-document file. */
  static Object parse(String text) {
    List<Object> docs = parseAll(text);
    if (docs.size() != 1) throw new IllegalArgumentException("expected one YAML document, found " + docs.size());
    return docs.get(0);
  }

  private static void addDocument(List<Object> docs, List<Line> lines) {
    if (lines.isEmpty()) return;
    MiniYaml parser = new MiniYaml(new ArrayList<>(lines));
    Object value = parser.block(lines.get(0).indent());
    if (parser.pos != parser.lines.size()) {
      Line l = parser.lines.get(parser.pos);
      throw error(l.number(), "unexpected indentation: " + l.text());
    }
    docs.add(value);
  }

  private Object block(int indent) {
    return isSequenceItem(lines.get(pos).text()) ? sequence(indent) : mapping(indent);
  }

  private List<Object> sequence(int indent) {
    List<Object> list = new ArrayList<>();
    while (pos < lines.size() && lines.get(pos).indent() == indent && isSequenceItem(lines.get(pos).text())) {
      Line line = lines.get(pos);
      String rest = line.text().substring(1).strip();
      if (rest.isEmpty()) {
        pos++;
        list.add(pos < lines.size() && lines.get(pos).indent() > indent ? block(lines.get(pos).indent()) : null);
      } else if (keyEnd(rest) >= 0) {
        // "- key: value": a mapping whose keys line up with "key"
        int childIndent = indent + (line.text().length() - rest.length());
        lines.set(pos, new Line(childIndent, rest, line.number()));
        list.add(mapping(childIndent));
      } else {
        list.add(scalar(rest, line.number()));
        pos++;
      }
    }
    return list;
  }

  private Map<String, Object> mapping(int indent) {
    Map<String, Object> map = new LinkedHashMap<>();
    while (pos < lines.size() && lines.get(pos).indent() == indent && !isSequenceItem(lines.get(pos).text())) {
      Line line = lines.get(pos);
      int end = keyEnd(line.text());
      if (end < 0) throw error(line.number(), "expected 'key: value': " + line.text());
      String key = (String) scalar(line.text().substring(0, end).strip(), line.number());
      String value = line.text().substring(end + 1).strip();
      if (map.containsKey(key)) throw error(line.number(), "duplicate key " + key);
      if (key.equals("<<")) throw error(line.number(), "merge keys are not supported");
      pos++;
      if (!value.isEmpty()) {
        map.put(key, scalar(value, line.number()));
      } else if (pos < lines.size() && (lines.get(pos).indent() > indent
          || (lines.get(pos).indent() == indent && isSequenceItem(lines.get(pos).text())))) {
        map.put(key, block(lines.get(pos).indent()));
      } else {
        map.put(key, null);
      }
    }
    return map;
  }

  private static boolean isSequenceItem(String text) {
    return text.equals("-") || text.startsWith("- ");
  }

  /** Index of the ':' ending a mapping key (followed by space or end of line), outside quotes and brackets. */
  private static int keyEnd(String text) {
    char quote = 0;
    int depth = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if ((c == '"' || c == '\'') && (i == 0 || text.charAt(i - 1) == ' ')) {
        quote = c;
      } else if (c == '[' || c == '{') {
        depth++;
      } else if (c == ']' || c == '}') {
        depth--;
      } else if (c == ':' && depth == 0 && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
        return i;
      }
    }
    return -1;
  }

  private static Object scalar(String text, int lineNumber) {
    String s = text.strip();
    if (s.startsWith("&") || s.startsWith("*") || s.startsWith("!") || s.equals("|") || s.equals(">")
        || s.startsWith("|-") || s.startsWith(">-")) {
      throw error(lineNumber, "unsupported YAML feature: " + s);
    }
    if (s.startsWith("[")) {
      if (!s.endsWith("]")) throw error(lineNumber, "unterminated flow sequence");
      List<Object> list = new ArrayList<>();
      for (String item : splitFlow(s.substring(1, s.length() - 1), lineNumber)) list.add(scalar(item, lineNumber));
      return list;
    }
    if (s.startsWith("{")) {
      if (!s.endsWith("}")) throw error(lineNumber, "unterminated flow mapping");
      Map<String, Object> map = new LinkedHashMap<>();
      for (String item : splitFlow(s.substring(1, s.length() - 1), lineNumber)) {
        int end = keyEnd(item);
        if (end < 0) throw error(lineNumber, "expected 'key: value' in flow mapping: " + item);
        map.put((String) scalar(item.substring(0, end), lineNumber), scalar(item.substring(end + 1), lineNumber));
      }
      return map;
    }
    if (s.startsWith("\"")) {
      if (s.length() < 2 || !s.endsWith("\"")) throw error(lineNumber, "unterminated string: " + s);
      return unescapeDouble(s.substring(1, s.length() - 1), lineNumber);
    }
    if (s.startsWith("'")) {
      if (s.length() < 2 || !s.endsWith("'")) throw error(lineNumber, "unterminated string: " + s);
      return s.substring(1, s.length() - 1).replace("''", "'");
    }
    return s;
  }

  private static List<String> splitFlow(String body, int lineNumber) {
    List<String> items = new ArrayList<>();
    if (body.isBlank()) return items;
    StringBuilder current = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[' || c == '{') {
        throw error(lineNumber, "nested flow collections are not supported");
      } else if (c == ',') {
        items.add(current.toString().strip());
        current.setLength(0);
        continue;
      }
      current.append(c);
    }
    if (quote != 0) throw error(lineNumber, "unterminated string in flow collection");
    items.add(current.toString().strip());
    return items;
  }

  private static String unescapeDouble(String s, int lineNumber) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i == s.length()) throw error(lineNumber, "dangling backslash");
      char e = s.charAt(i);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case '"', '\\', '/' -> out.append(e);
        default -> throw error(lineNumber, "unsupported escape \\" + e);
      }
    }
    return out.toString();
  }

  /** Drops a '#' comment: at line start or after whitespace, outside quotes. */
  private static String stripComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if ((c == '"' || c == '\'') && (i == 0 || " [{,:-".indexOf(line.charAt(i - 1)) >= 0)) {
        quote = c;
      } else if (c == '#' && (i == 0 || line.charAt(i - 1) == ' ')) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  private static IllegalArgumentException error(int line, String message) {
    return new IllegalArgumentException("YAML line " + line + ": " + message);
  }
}
