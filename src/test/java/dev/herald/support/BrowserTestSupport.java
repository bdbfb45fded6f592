package dev.herald.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Playwright on Debian's Chromium ({@code apt-get install -y chromium}); nothing is downloaded. A
 * missing Chromium fails the test: browser tests never skip.
 */
public abstract class BrowserTestSupport {

  static final Path CHROMIUM =
      Path.of(System.getenv().getOrDefault("HERALD_CHROMIUM", "/usr/bin/chromium"));

  private static Playwright playwright;
  private static Browser browser;
  private BrowserContext context;
  protected Page page;

  @BeforeAll
  static void launchBrowser() {
    if (!Files.isExecutable(CHROMIUM)) {
      throw new AssertionError(
          "Chromium not found at " + CHROMIUM + ": install it with apt-get install -y chromium");
    }
    playwright = Playwright.create();
    browser =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setArgs(
                        List.of(
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-quic",
                            "--no-first-run",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--disable-dev-shm-usage")));
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
  }

  @BeforeEach
  void openPage() {
    context = browser.newContext(new Browser.NewContextOptions().setLocale("en-GB"));
    context.setDefaultTimeout(15_000);
    page = context.newPage();
  }

  /** Replaces this test's page with one of the given width (height 844, a phone's) and locale. */
  protected Page openPage(int width, String locale) {
    context.close();
    context =
        browser.newContext(
            new Browser.NewContextOptions()
                .setLocale(locale)
                .setViewportSize(width, width < 600 ? 844 : 900));
    context.setDefaultTimeout(15_000);
    page = context.newPage();
    return page;
  }

  @AfterEach
  void closePage() {
    context.close();
  }
}
