package dev.tokenward.samples.support;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.ConfigurationException;
import dev.tokenward.test.TestIssuer;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Starts a sample per the runtime contract: reads the environment, starts the embedded dev issuer
 * when {@code TOKENWARD_ISSUER} is unset (and prints curl commands for it), starts the sample's
 * server on {@code 127.0.0.1:PORT}, and prints {@code NAME listening on http://127.0.0.1:PORT}
 * once it serves. A sample's {@code main} is one call to {@link #main(String, SampleServer.Factory)}.
 */
public final class SampleLauncher {
  /** The samples listen on loopback only. */
  public static final String HOST = "127.0.0.1";
  /** Exit code for an unusable environment (the message names the variable). */
  public static final int EXIT_CONFIGURATION_ERROR = 2;
  /** Exit code for any other start-up failure, such as a port in use. */
  public static final int EXIT_START_FAILURE = 1;

  /** What {@link #launch} ended with: a running sample (exit code 0), or the exit code of a failure already reported. */
  public record Outcome(RunningSample sample, int exitCode) {}

  private SampleLauncher() {}

  /**
   * Starts the sample; what {@code main} does, minus reading {@link System#getenv()} and waiting.
   *
   * @throws ConfigurationException for an unusable environment, naming the variable
   * @throws Exception when the server cannot start
   */
  public static RunningSample start(String name, Map<String, String> env, PrintStream out, SampleServer.Factory factory)
      throws Exception {
    return start(name, env, out, factory, null);
  }

  /**
   * Prints the "Try it" commands of a sample that does not serve the {@link Endpoint} table (the MCP
   * sample), in place of {@link DevQuickstart}'s curl commands for it.
   */
  @FunctionalInterface
  public interface Examples {
    /** Prints ready-to-paste commands for the sample at {@code sample} using the dev issuer {@code issuer}. */
    void print(PrintStream out, TestIssuer issuer, java.net.URI sample);
  }

  /** Like {@link #start(String, Map, PrintStream, SampleServer.Factory)}, with the sample's own examples (null: the endpoint table's). */
  public static RunningSample start(String name, Map<String, String> env, PrintStream out, SampleServer.Factory factory,
      Examples examples) throws Exception {
    SampleConfiguration config = SampleConfiguration.fromEnvironment(env);
    TestIssuer dev = null;
    SampleServer server = null;
    try {
      if (config.usesDevIssuer()) {
        dev = TestIssuer.defaults().start();
      }
      AccessTokenValidator validator = config.validator(dev);
      InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(HOST), config.port());
      try {
        server = factory.start(address, validator, config);
      } catch (Exception e) {
        if (causedBy(e, BindException.class)) {
          throw new IllegalStateException(SampleConfiguration.PORT + ": cannot listen on " + HOST + ":" + config.port()
              + " (" + e.getMessage() + "); choose another " + SampleConfiguration.PORT + ", or 0 for a free one", e);
        }
        throw e;
      }
      RunningSample running = new RunningSample(server, validator, dev);
      if (dev != null) {
        DevQuickstart.describeIssuer(out, name, dev);
      }
      for (String line : config.describe(dev != null ? dev.issuer() : config.issuer().orElseThrow())) {
        out.println(name + ": " + line);
      }
      if (dev != null && examples != null) {
        examples.print(out, dev, running.baseUri());
      } else if (dev != null) {
        DevQuickstart.printExamples(out, dev, running.baseUri(), config);
      }
      out.println(name + " listening on " + running.baseUri());
      out.flush();
      return running;
    } catch (Exception | Error e) {
      if (server != null) {
        try {
          server.stop();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (dev != null) {
        dev.close();
      }
      throw e;
    }
  }

  /**
   * Starts the sample, or reports why not as one line on {@code err} and gives the exit code:
   * {@value #EXIT_CONFIGURATION_ERROR} for a configuration error, {@value #EXIT_START_FAILURE} otherwise.
   */
  public static Outcome launch(String name, Map<String, String> env, PrintStream out, PrintStream err,
      SampleServer.Factory factory) {
    return launch(name, env, out, err, factory, null);
  }

  /** Like {@link #launch(String, Map, PrintStream, PrintStream, SampleServer.Factory)}, with the sample's own examples. */
  public static Outcome launch(String name, Map<String, String> env, PrintStream out, PrintStream err,
      SampleServer.Factory factory, Examples examples) {
    try {
      return new Outcome(start(name, env, out, factory, examples), 0);
    } catch (ConfigurationException e) {
      err.println(e.getMessage());
      return new Outcome(null, EXIT_CONFIGURATION_ERROR);
    } catch (Exception e) {
      err.println(name + ": cannot start: " + (e instanceof IllegalStateException ? e.getMessage() : e.toString()));
      return new Outcome(null, EXIT_START_FAILURE);
    } finally {
      err.flush();
    }
  }

  /** The whole {@code main} of a sample: launch from {@link System#getenv()}, exit on failure, else serve until stopped. */
  public static void main(String name, SampleServer.Factory factory) {
    main(name, factory, (Examples) null);
  }

  /**
   * A sample jar's {@code main}: with no arguments, the sample ({@link #main(String, SampleServer.Factory)});
   * {@code dpop-proof ...} runs {@link DpopProofCommand} instead and exits with its code.
   */
  public static void main(String name, SampleServer.Factory factory, String[] args) {
    if (args.length > 0) {
      if (!args[0].equals(DpopProofCommand.NAME)) {
        System.err.println(name + ": unknown command '" + args[0] + "'; run without arguments to start the sample, or "
            + DpopProofCommand.NAME + " METHOD URL [ACCESS_TOKEN] to print a DPoP proof");
        System.exit(DpopProofCommand.EXIT_USAGE);
      }
      System.exit(DpopProofCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err,
          DpopProofCommand.defaultKeyFile()));
    }
    main(name, factory);
  }

  /** Like {@link #main(String, SampleServer.Factory)}, with the sample's own examples. */
  public static void main(String name, SampleServer.Factory factory, Examples examples) {
    Outcome outcome = launch(name, System.getenv(), System.out, System.err, factory, examples);
    if (outcome.sample() == null) {
      System.exit(outcome.exitCode());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(outcome.sample()::close, name + "-shutdown"));
    try {
      Thread.currentThread().join(); // serve until the process is stopped
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
