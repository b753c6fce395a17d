"use client";

import type { Folder } from "@/lib/photo-folders";

/**
 * "All · Day 1 · Day 2", with counts: one button per top folder of the archive, the chosen one pressed.
 * Buttons in a named group, so Tab reaches each and a screen reader says which is on.
 */
export function FolderFilter({ folders, total, selected, onSelect }: { folders: Folder[]; total: number; selected: string | null; onSelect: (key: string | null) => void }) {
  const options = [{ key: null, label: "All", count: total }, ...folders];
  return (
    <div role="group" aria-label="Folders" className="flex flex-wrap gap-2">
      {options.map((option) => {
        const pressed = option.key === selected;
        return (
          <button
            key={option.key ?? ""}
            type="button"
            aria-pressed={pressed}
            onClick={() => onSelect(option.key)}
            className={`inline-flex min-h-9 items-center gap-2 rounded-full border px-3 text-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-stone-900 ${
              pressed ? "border-stone-900 bg-stone-900 text-white" : "border-stone-300 bg-white text-stone-900 hover:bg-stone-100"
            }`}
          >
            <span>{option.label}</span>
            <span className={pressed ? "text-stone-200" : "text-stone-700"}>
              {option.count.toLocaleString("en-US")}
              <span className="sr-only">{option.count === 1 ? " photo" : " photos"}</span>
            </span>
          </button>
        );
      })}
    </div>
  );
}
