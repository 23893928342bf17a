package io.capxai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The engine's packages depend on each other one way only. jdeps reads the compiled classes (what
 * the code really uses, not what comments mention); a cycle between two top-level packages fails.
 */
class PackageCyclesTest {
    private static final Pattern EDGE = Pattern.compile("^\\s*io\\.capxai\\.([a-z]+)\\S*\\s+->\\s+io\\.capxai\\.([a-z]+)");

    @Test
    void topLevelPackagesHaveNoCycle() {
        Map<String, Set<String>> graph = packageGraph();
        assertTrue(graph.containsKey("audit") && graph.get("audit").contains("matching"), "jdeps found the engine: " + graph);
        assertEquals(List.of(), cycles(graph), "package cycles (each list is one strongly connected group)");
    }

    @Test
    void cycleFinderFindsACycle() {
        Map<String, Set<String>> graph = new TreeMap<>();
        graph.put("a", Set.of("b"));
        graph.put("b", Set.of("c"));
        graph.put("c", Set.of("a"));
        graph.put("d", Set.of("a"));
        assertEquals(List.of(List.of("a", "b", "c")), cycles(graph));
    }

    static Map<String, Set<String>> packageGraph() {
        Path classes = Path.of("target/classes");
        assertTrue(Files.isDirectory(classes.resolve("io/capxai")), "compiled classes at " + classes.toAbsolutePath());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("jdeps is not in this JDK"));
        StringWriter out = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-filter:none", classes.toString());
        assertEquals(0, rc, out.toString());
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find() && !m.group(1).equals(m.group(2))) {
                graph.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        return graph;
    }

    /** Strongly connected groups of more than one package (Tarjan), each sorted. */
    static List<List<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<List<String>> found = new ArrayList<>();
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, found);
            }
        }
        return found;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, List<List<String>> found) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, found);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> group = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                group.add(w);
            } while (!w.equals(v));
            if (group.size() > 1) {
                found.add(group.stream().sorted().toList());
            }
        }
    }
}
