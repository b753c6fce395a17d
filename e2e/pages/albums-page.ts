import type { FileChooser } from "@playwright/test";
import { expect, type Locator, type Page } from "@playwright/test";

const ALBUM_URL = /\/albums\/([0-9a-f-]{36})$/;

/** The home page: the user's albums and the upload panel (drop zone, pre-flight, queue). */
export class AlbumsPage {
  constructor(private readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/");
    await expect(this.page.getByRole("heading", { name: "Your albums", level: 1 })).toBeVisible();
  }

  async expectNoAlbums(): Promise<void> {
    await expect(this.page.getByRole("heading", { name: "No albums yet" })).toBeVisible();
    await expect(this.albumList).toHaveCount(0);
  }

  get albumList(): Locator {
    return this.page.getByRole("list", { name: "Albums" });
  }

  albumLink(name: string): Locator {
    return this.albumList.getByRole("link", { name, exact: true });
  }

  /** Picks archives through the file chooser the "Choose zip files" button opens, as a person would. */
  async choose(...paths: string[]): Promise<void> {
    const chooser: Promise<FileChooser> = this.page.waitForEvent("filechooser");
    await this.page.getByRole("button", { name: /^Choose (zip files|a zip file)$/ }).click();
    await (await chooser).setFiles(paths);
  }

  /** One archive in the queue, by the file name it shows (messages inside may quote it too). */
  queueItem(fileName: string): Locator {
    const queue = this.page.getByRole("list", { name: "Archives to upload" });
    return queue.getByRole("listitem").filter({ has: this.page.getByText(fileName, { exact: true }) });
  }

  /** The pre-flight summary's fact ("Photos", "Other files", "System files", "Unpacked size"). */
  fact(fileName: string, label: string): Locator {
    return this.queueItem(fileName).locator("dt", { hasText: label }).locator("xpath=following-sibling::dd[1]");
  }

  async expectReady(fileName: string, photos: number): Promise<void> {
    await expect(this.queueItem(fileName)).toContainText("Ready to upload");
    await expect(this.fact(fileName, "Photos")).toHaveText(new RegExp(`^${photos.toLocaleString("en-US")} \\(`));
  }

  /** The pre-flight's refusal, shown before any byte is sent. */
  refusal(fileName: string): Locator {
    return this.queueItem(fileName).getByRole("alert").filter({ hasText: "This archive cannot be uploaded" });
  }

  get uploadButton(): Locator {
    return this.page.getByRole("button", { name: /^(Upload|Upload \d+ archives|Checking…)$/ });
  }

  /** Starts the upload of what is queued; one archive ends on its album's page. Returns the album id. */
  async startUpload(): Promise<string> {
    await this.uploadButton.click();
    await expect(this.page).toHaveURL(ALBUM_URL, { timeout: 60_000 });
    return ALBUM_URL.exec(this.page.url())![1];
  }

  /** Choose, pass pre-flight, upload: the whole path from a zip on disk to its album page. */
  async upload(path: string, fileName: string, photos: number): Promise<string> {
    await this.choose(path);
    await this.expectReady(fileName, photos);
    return this.startUpload();
  }
}
