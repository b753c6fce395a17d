import { expect, type Locator, type Page } from "@playwright/test";
import { expectImageLoaded } from "./images.ts";
import { Lightbox } from "./lightbox.ts";

export type Counts = { added: number; skipped: number; failed: number; waiting: number };

/** What the files bar showed at one moment, and whether the progress panel said "Live". */
export type ProgressSample = { done: number; total: number; live: boolean };

type RecordingWindow = { shoeboxProgress?: ProgressSample[] };

/** /albums/<id>: live progress, the photo grid, the per-file list and the skipped-files report. */
export class AlbumPage {
  readonly lightbox: Lightbox;

  constructor(private readonly page: Page) {
    this.lightbox = new Lightbox(page);
  }

  async goto(id: string): Promise<void> {
    await this.page.goto(`/albums/${id}`);
  }

  heading(name: string): Locator {
    return this.page.getByRole("heading", { name, level: 1 });
  }

  /** The progress panel (the region holding the files bar); titled "Archive" once the album is finished. */
  get progress(): Locator {
    return this.page.getByRole("region").filter({ has: this.filesBar });
  }

  get filesBar(): Locator {
    return this.page.getByRole("progressbar", { name: "Files processed" });
  }

  /** Every entry processed and the album no longer active; the counts add up to `counts`. */
  async waitForAllDone(counts: Omit<Counts, "waiting">, timeout = 60_000): Promise<void> {
    const total = counts.added + counts.skipped + counts.failed;
    await expect(this.filesBar).toHaveAttribute("aria-valuetext", `${total} of ${total} files`, { timeout });
    await expect(this.page.getByRole("region", { name: "Archive", exact: true })).toBeVisible({ timeout });
    await this.expectCounts({ ...counts, waiting: 0 });
  }

  /**
   * From the next page load on, records every change of the files bar and of the "Live" indicator,
   * from the very first paint: a history to assert on afterwards, with no race against the clock.
   */
  async recordProgress(): Promise<void> {
    await this.page.addInitScript(() => {
      const samples: ProgressSample[] = [];
      (window as RecordingWindow).shoeboxProgress = samples;
      const sample = () => {
        const bar = document.querySelector('[role="progressbar"][aria-label="Files processed"]');
        if (!bar) return;
        const spans = Array.from(bar.closest("section")?.querySelectorAll("span") ?? []);
        const next = {
          done: Number(bar.getAttribute("aria-valuenow")),
          total: Number(bar.getAttribute("aria-valuemax")),
          live: spans.some((span) => span.textContent?.trim() === "Live"),
        };
        const last = samples.at(-1);
        if (!last || last.done !== next.done || last.total !== next.total || last.live !== next.live) samples.push(next);
      };
      new MutationObserver(sample).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    });
  }

  async recordedProgress(): Promise<ProgressSample[]> {
    return this.page.evaluate(() => (window as RecordingWindow).shoeboxProgress ?? []);
  }

  async expectCounts(counts: Counts): Promise<void> {
    const labels: Record<keyof Counts, string> = { added: "Added", skipped: "Skipped", failed: "Failed", waiting: "Waiting" };
    for (const [key, label] of Object.entries(labels) as [keyof Counts, string][]) {
      await expect(this.progress.locator("dt", { hasText: label }).locator("xpath=following-sibling::dd[1]")).toHaveText(counts[key].toLocaleString("en-US"));
    }
  }

  get photoTiles(): Locator {
    return this.page.getByRole("list", { name: "Photos" }).getByRole("button", { name: /^Open / });
  }

  photoTile(name: string): Locator {
    return this.page.getByRole("list", { name: "Photos" }).getByRole("button", { name: `Open ${name}`, exact: true });
  }

  /**
   * A tile's image. It is decorative (alt=""; the button carries the name), so it has no role of its
   * own and is found as the button's <img>.
   */
  tileImage(tile: Locator): Locator {
    return tile.locator("img");
  }

  /**
   * Each photo's tile holds a decoded image. Tiles show renditions sized for the tile (its CSS width ×
   * devicePixelRatio, rounded up to 64 px) and never enlarged, so a fixture's width shows as
   * min(width, tile side) — which still tells one photo from another.
   */
  async expectPhotosRendered(photos: readonly { name: string; width?: number }[]): Promise<void> {
    await expect(this.photoTiles).toHaveCount(photos.length);
    for (const photo of photos) {
      const tile = this.photoTile(photo.name);
      const side = await tile.evaluate((el) => Math.ceil((el.getBoundingClientRect().width * devicePixelRatio) / 64) * 64);
      await expectImageLoaded(this.tileImage(tile), photo.width === undefined ? undefined : Math.min(photo.width, side));
    }
  }

  async openLightbox(name: string): Promise<Lightbox> {
    await this.photoTile(name).click();
    await expect(this.lightbox.dialog).toBeVisible();
    return this.lightbox;
  }

  /** The per-file list ("Files in the archive"), unfolded if it is folded. */
  async filesInArchive(): Promise<Locator> {
    const list = this.page.getByRole("list", { name: "Files in the archive" });
    if (!(await list.isVisible())) await this.page.getByText("Files in the archive", { exact: true }).click();
    await expect(list).toBeVisible();
    return list;
  }

  /** One entry's row in a file list, by its name in the archive. */
  entryRow(list: Locator, name: string): Locator {
    return list.getByRole("listitem").filter({ has: this.page.getByText(name, { exact: true }) });
  }

  get skippedReport(): Locator {
    return this.page.getByRole("region", { name: "Skipped files", exact: true });
  }

  get skippedList(): Locator {
    return this.skippedReport.getByRole("list", { name: "Skipped files" });
  }

  /** A skipped entry shows its status and the reason it was not added. */
  async expectSkipped(name: string, reason: RegExp): Promise<void> {
    const row = this.entryRow(this.skippedList, name);
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("Skipped");
    await expect(row).toContainText(reason);
  }
}
