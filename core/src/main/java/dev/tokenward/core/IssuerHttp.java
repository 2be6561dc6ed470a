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
  static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(3);
  static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);

  private final OkHttpClient client;

  IssuerHttp(OkHttpClient client) {
    this.client = client;
  }

  /**
   * The client used when the application supplies none: short timeouts, no https-to-http
   * redirects. One per JVM, as OkHttp recommends: building a client loads the platform's trust
   * store, which would otherwise make every new validator's first token wait milliseconds.
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
        .readTimeout(DEFAULT_READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .writeTimeout(DEFAULT_READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .callTimeout(DEFAULT_CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
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

  /** A bounded answer: status, body text (at most the cap) and the Retry-After header, if any. */
  record Answer(int code, String body, String retryAfter) {
    boolean ok() {
      return code >= 200 && code < 300;
    }
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
      return new Answer(response.code(), text, response.header("Retry-After"));
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
