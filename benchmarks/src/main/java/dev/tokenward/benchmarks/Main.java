package dev.tokenward.benchmarks;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the suite and prints a Markdown table.
 *
 * <pre>
 *   java -jar benchmarks.jar [--quick] [JMH options and benchmark regexps]
 *   java -jar benchmarks.jar --table jmh-result.json
 * </pre>
 *
 * <ol>
 *   <li>generates the key material and tokens once, in this JVM, and serves the JWKS and discovery document on
 *       {@code 127.0.0.1} from here for the whole run (the forks under test reach it over loopback);</li>
 *   <li>runs JMH with the {@code gc} profiler (for B/op) and JSON output ({@code -rff}, default
 *       {@code jmh-result.json});</li>
 *   <li>prints the table (and writes it next to the JSON as {@code .md}).</li>
 * </ol>
 * {@code --quick} = {@code -f 1 -wi 1 -i 2 -w 2s -r 2s} unless given otherwise. JMH's own options work as usual,
 * e.g. {@code -p subject=floor,tokenward -p alg=ES256 distinct_t1}.
 */
public final class Main {

    private Main() {
    }

    /** True if the run's benchmark regexps (none: all) select a benchmark of {@code type}. */
    private static boolean includes(CommandLineOptions cli, Class<?> type) {
        List<String> includes = cli.getIncludes();
        return includes.isEmpty() || includes.stream().anyMatch(
                r -> java.util.regex.Pattern.compile(r).matcher(type.getName() + ".first_seen_t1").find());
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--table")) {
            System.out.print(ResultTable.markdown(Files.readString(Path.of(args[1]), StandardCharsets.UTF_8)));
            return;
        }
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        boolean quick = rest.remove("--quick");
        CommandLineOptions cli = new CommandLineOptions(rest.toArray(String[]::new));
        if (cli.shouldHelp() || cli.shouldList() || cli.shouldListProfilers() || cli.shouldListResultFormats()
                || cli.shouldListWithParams()) {
            org.openjdk.jmh.Main.main(rest.toArray(String[]::new));
            return;
        }

        ChainedOptionsBuilder b = new OptionsBuilder().parent(cli);
        if (cli.getIncludes().isEmpty()) {
            b.include("dev\\.tokenward\\.benchmarks\\..*");
        }
        if (cli.getProfilers().stream().noneMatch(p -> p.getKlass().equals("gc")
                || p.getKlass().equals(GCProfiler.class.getName()))) {
            b.addProfiler(GCProfiler.class);
        }
        Path json = Path.of(cli.getResult().orElse("jmh-result.json"));
        b.resultFormat(ResultFormatType.JSON).result(json.toString());
        if (quick) {
            if (!cli.getForkCount().hasValue()) b.forks(1);
            if (!cli.getWarmupIterations().hasValue()) b.warmupIterations(1);
            if (!cli.getMeasurementIterations().hasValue()) b.measurementIterations(2);
            if (!cli.getWarmupTime().hasValue()) b.warmupTime(TimeValue.seconds(2));
            if (!cli.getMeasurementTime().hasValue()) b.measurementTime(TimeValue.seconds(2));
        }

        long t0 = System.nanoTime();
        try (JwksServer server = JwksServer.start()) {
            Material material = Material.generate(server.port(), includes(cli, FirstSeenBenchmark.class));
            server.serve(material);
            Path file = Files.createTempFile("tokenward-bench-material", ".txt");
            file.toFile().deleteOnExit();
            material.writeTo(file);
            List<String> prepend = new ArrayList<>(cli.getJvmArgsPrepend().orElse(List.of()));
            prepend.add("-D" + Material.FILE_PROPERTY + "=" + file.toAbsolutePath());
            b.jvmArgsPrepend(prepend.toArray(String[]::new));
            System.out.printf("issuer %s  jwks %s  (%d + %d tokens per alg, material in %d ms)%n",
                    material.issuer, material.jwksUri, Material.VALID_TOKENS, Material.INVALID_TOKENS,
                    (System.nanoTime() - t0) / 1_000_000);

            new Runner(b.build()).run();

            System.out.printf("%nJWKS requests served: %d%n%n", server.jwksRequests());
        }
        String table = ResultTable.markdown(Files.readString(json, StandardCharsets.UTF_8));
        System.out.println(table);
        String name = json.getFileName().toString();
        Path md = json.resolveSibling(name.endsWith(".json") ? name.substring(0, name.length() - 5) + ".md"
                : name + ".md");
        Files.writeString(md, table, StandardCharsets.UTF_8);
        System.out.println("JSON: " + json.toAbsolutePath() + "\ntable: " + md.toAbsolutePath());
    }
}
