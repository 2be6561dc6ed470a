package dev.tokenward.samples.support;

import dev.tokenward.test.DpopKey;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code dpop-proof}: prints a DPoP proof (RFC 9449) for a method, a URL and optionally an access
 * token, signed with an ES256 key kept in a file, because curl cannot sign one. The key file is
 * created on first use, readable by its owner only (600); a key file others can read is refused,
 * as ssh refuses such a private key. Only the proof goes to standard output, so
 * {@code PROOF=$(... dpop-proof GET URL "$TOKEN")} works in a shell.
 *
 * <pre>
 * java -jar servlet-sample.jar dpop-proof [--key FILE] [--nonce NONCE] METHOD URL [ACCESS_TOKEN]
 * </pre>
 *
 * A development aid for trying the samples, not a DPoP client library.
 */
public final class DpopProofCommand {
  /** The command's name, the first argument of a sample jar. */
  public static final String NAME = "dpop-proof";
  /** Exit code of a wrong invocation or an unusable key file. */
  public static final int EXIT_USAGE = 2;
  private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
      PosixFilePermission.OWNER_WRITE);
  private static final String USAGE = "usage: " + NAME + " [--key FILE] [--nonce NONCE] METHOD URL [ACCESS_TOKEN]";

  private DpopProofCommand() {}

  /** Runs the command from a shell: {@code java -cp SAMPLE_JAR dev.tokenward.samples.support.DpopProofCommand ...}. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, defaultKeyFile()));
  }

  /** {@code ~/.tokenward/dpop-key.json}, the key file when {@code --key} is not given. */
  public static Path defaultKeyFile() {
    return Path.of(System.getProperty("user.home"), ".tokenward", "dpop-key.json");
  }

  /**
   * Prints one proof on {@code out} (and a line on {@code err} when it created the key file).
   *
   * @param args the arguments after the command's name
   * @return 0, or {@value #EXIT_USAGE} with one line on {@code err} saying what is wrong
   */
  public static int run(String[] args, PrintStream out, PrintStream err, Path defaultKeyFile) {
    Path keyFile = defaultKeyFile;
    String nonce = null;
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--key", "--nonce" -> {
          if (i + 1 >= args.length) {
            err.println(NAME + ": " + args[i] + " needs a value; " + USAGE);
            return EXIT_USAGE;
          }
          if (args[i].equals("--key")) {
            keyFile = Path.of(args[++i]);
          } else {
            nonce = args[++i];
          }
        }
        case "-h", "--help" -> {
          out.println(USAGE);
          return 0;
        }
        default -> positional.add(args[i]);
      }
    }
    if (positional.size() < 2 || positional.size() > 3) {
      err.println(NAME + ": " + USAGE);
      return EXIT_USAGE;
    }
    String method = positional.get(0).toUpperCase(Locale.ROOT);
    String url = positional.get(1);
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      err.println(NAME + ": the URL must be absolute http(s), got '" + url + "'");
      return EXIT_USAGE;
    }
    try {
      DpopKey key = loadOrCreate(keyFile, err);
      var proof = key.proof().method(method).url(url).nonce(nonce);
      if (positional.size() == 3) {
        proof.accessToken(positional.get(2));
      }
      out.println(proof.sign());
      out.flush();
      return 0;
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      err.println(NAME + ": " + e.getMessage());
      return EXIT_USAGE;
    }
  }

  /** The key in {@code file}, made (ES256, mode 600, its directory 700) when the file does not exist yet. */
  static DpopKey loadOrCreate(Path file, PrintStream err) throws IOException {
    boolean posix = file.toAbsolutePath().getRoot() != null
        && Files.getFileStore(existingAncestor(file)).supportsFileAttributeView("posix");
    if (Files.exists(file)) {
      if (posix && !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
        throw new IOException("the key file " + file + " can be read or written by others ("
            + PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) + "); chmod 600 it or delete it");
      }
      try {
        return DpopKey.fromPrivateJson(Files.readString(file, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the key file " + file + " holds no usable private JWK: " + e.getMessage(), e);
      }
    }
    DpopKey key = DpopKey.es256();
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null && !Files.exists(dir)) {
      if (posix) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE)));
      } else {
        Files.createDirectories(dir);
      }
    }
    try {
      if (posix) { // created with mode 600 from the start: never readable by others, not even for a moment
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException e) { // another run made it meanwhile: use that one
      return loadOrCreate(file, err);
    }
    Files.writeString(file, key.toPrivateJson(), StandardCharsets.UTF_8);
    err.println(NAME + ": created the ES256 key " + file + " (thumbprint " + key.thumbprint() + ")");
    return key;
  }

  private static Path existingAncestor(Path file) {
    Path p = file.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p == null ? file.toAbsolutePath().getRoot() : p;
  }
}
