package dev.tokenward.core;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * Every request tokenward makes to an issuer goes through here: bounded in time by the client's
 * timeouts and in size by a per-call byte cap, so a slow or hostile endpoint cannot hold a thread
 * or fill the heap. Tokens are sent only in headers or form bodies and never logged.
 */
final class IssuerHttp {
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);

  /** Redirects to follow at most for discovery and JWKS, all on the origin first asked. */
  static final int MAX_REDIRECTS = 5;

  private final OkHttpClient client;

  /**
   * Uses the application's client (timeouts, proxies, TLS) with OkHttp's own redirect following
   * turned off: a call that carries a token follows no redirect, and discovery and JWKS follow only
   * redirects on the same origin ({@link #getDocument}), so no other host can answer for the issuer.
   * A client that already follows none (the default one) is used as it is, not copied per validator.
   */
  IssuerHttp(OkHttpClient client) {
    this.client = !client.followRedirects() && !client.followSslRedirects() ? client
        : client.newBuilder().followRedirects(false).followSslRedirects(false).build();
  }

  /**
   * The client used when the application supplies none: 2 s to connect and 5 s for the whole call,
   * which bounds every read and write in it too; redirects are decided per call (see the constructor).
   * One per JVM, as OkHttp recommends: building a client loads the platform's trust store, which
   * would otherwise make every new validator's first token wait milliseconds.
   *
   * <p>No separate read and write timeouts: each one OkHttp arms wakes its watchdog thread, and a
   * call armed three of them, a fifth of a loopback JWKS fetch's CPU on a new validator's first
   * token; the call timeout already ends a stalled or slowly dripping answer.
   */
  static OkHttpClient defaultClient() {
    return DefaultClient.INSTANCE;
  }

  private static final class DefaultClient {
    static final OkHttpClient INSTANCE = build();
  }

  private static OkHttpClient build() {
    return new OkHttpClient.Builder()
        .connectTimeout(DEFAULT_CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(0, TimeUnit.MILLISECONDS)
        .writeTimeout(0, TimeUnit.MILLISECONDS)
        .callTimeout(DEFAULT_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .followRedirects(false)
        .followSslRedirects(false)
        .build();
  }

  /** The longest a caller may wait for one call, used to bound waits on coalesced fetches. */
  Duration callTimeout() {
    long ms = client.callTimeoutMillis();
    if (ms == 0) {
      ms = client.connectTimeoutMillis() + 2L * client.readTimeoutMillis();
    }
    return Duration.ofMillis(ms == 0 ? DEFAULT_CALL_TIMEOUT.toMillis() : ms);
  }

  /** A bounded answer: status, body text (at most the cap), and the Retry-After and Location headers, if any. */
  record Answer(int code, String body, String retryAfter, String location) {
    boolean ok() {
      return code >= 200 && code < 300;
    }

    boolean redirect() {
      return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }
  }

  /**
   * A public document of the issuer (discovery, JWKS), following at most {@link #MAX_REDIRECTS}
   * redirects and only those to the same origin (scheme, host and port) as {@code url}.
   */
  Answer getDocument(HttpUrl url, int maxBytes) throws IOException {
    HttpUrl at = url;
    for (int hops = 0; ; hops++) {
      Answer answer = get(at, null, maxBytes);
      if (!answer.redirect() || answer.location() == null) {
        return answer;
      }
      HttpUrl next = at.resolve(answer.location());
      if (next == null || !sameOrigin(url, next)) {
        throw new FetchFailure(at + " redirected (HTTP " + answer.code() + ") to another origin"
            + (next == null ? "" : ", " + next.scheme() + "://" + next.host() + ":" + next.port())
            + "; only same-origin redirects are followed for discovery and JWKS");
      }
      if (hops == MAX_REDIRECTS) {
        throw new FetchFailure(url + " redirected more than " + MAX_REDIRECTS + " times");
      }
      at = next;
    }
  }

  private static boolean sameOrigin(HttpUrl a, HttpUrl b) {
    return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
  }

  Answer get(HttpUrl url, String bearerToken, int maxBytes) throws IOException {
    Request.Builder request = new Request.Builder().url(url).header("Accept", "application/json");
    if (bearerToken != null) {
      request.header("Authorization", "Bearer " + bearerToken);
    }
    return execute(newCall(request.build()), maxBytes);
  }

  Answer postForm(HttpUrl url, Map<String, String> form, String authorization, int maxBytes) throws IOException {
    FormBody.Builder body = new FormBody.Builder();
    form.forEach(body::add);
    Request.Builder request = new Request.Builder().url(url).post(body.build()).header("Accept", "application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return execute(newCall(request.build()), maxBytes);
  }

  /**
   * Every call is bounded as a whole, even with an application's client that sets no call timeout:
   * a fetch may run in a request thread (a first token), and a slow-dripping endpoint must not hold
   * it for longer than {@link #callTimeout()}.
   */
  private Call newCall(Request request) {
    Call call = client.newCall(request);
    if (client.callTimeoutMillis() == 0) {
      call.timeout().timeout(callTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
    return call;
  }

  private static Answer execute(Call call, int maxBytes) throws IOException {
    HttpUrl url = call.request().url();
    try (Response response = call.execute()) {
      ResponseBody body = response.body();
      String text = "";
      if (body != null) {
        if (body.contentLength() > maxBytes) {
          throw new FetchFailure(url + " answered " + body.contentLength() + " bytes, more than the limit of " + maxBytes);
        }
        BufferedSource source = body.source();
        if (source.request(maxBytes + 1L)) {
          throw new FetchFailure(url + " answered more than the limit of " + maxBytes + " bytes");
        }
        text = source.getBuffer().readUtf8();
      }
      return new Answer(response.code(), text, response.header("Retry-After"), response.header("Location"));
    } catch (FetchFailure e) {
      throw e;
    } catch (IOException e) {
      throw new FetchFailure(url + " could not be reached (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /**
   * A failed call to an issuer, described in words safe for a log line and an
   * {@code error_description}: the URL and what went wrong, never a token or a secret.
   */
  static final class FetchFailure extends IOException {
    private static final long serialVersionUID = 1L;

    FetchFailure(String description) {
      super(description);
    }

    FetchFailure(String description, Throwable cause) {
      super(description, cause);
    }
  }
}
