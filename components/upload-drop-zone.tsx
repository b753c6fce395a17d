"use client";

import { useId, useRef, useState, type DragEvent } from "react";
import { Button } from "@/components/ui/button";

/**
 * Where archives come in: drag and drop, or the file picker (a real button, so it works from the
 * keyboard and with screen readers; the drop area itself is a convenience for pointer users).
 */
export function UploadDropZone({
  onFiles,
  multiple = true,
  disabled = false,
  label = "Drop zip files here",
  hint = "Each zip becomes an album. Shoebox checks it in your browser before anything is sent.",
}: { onFiles: (files: File[]) => void; multiple?: boolean; disabled?: boolean; label?: string; hint?: string }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const hintId = useId();

  function take(list: FileList | null) {
    const files = Array.from(list ?? []);
    if (files.length > 0) onFiles(multiple ? files : files.slice(0, 1));
  }

  function drop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setOver(false);
    if (!disabled) take(event.dataTransfer.files);
  }

  return (
    <div
      onDragOver={(event) => {
        event.preventDefault();
        if (!disabled) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      className={`flex flex-col items-center gap-3 rounded-xl border-2 border-dashed px-4 py-8 text-center transition-colors ${
        over ? "border-blue-700 bg-blue-50" : "border-stone-300 bg-white"
      } ${disabled ? "opacity-60" : ""}`}
    >
      <p className="text-base font-medium text-stone-900">{label}</p>
      <p id={hintId} className="max-w-md text-sm text-stone-700">
        {hint}
      </p>
      <Button onClick={() => inputRef.current?.click()} disabled={disabled} aria-describedby={hintId}>
        Choose {multiple ? "zip files" : "a zip file"}
      </Button>
      <input
        ref={inputRef}
        type="file"
        accept=".zip,application/zip,application/x-zip-compressed"
        multiple={multiple}
        // Hidden entirely: the button above is the accessible control; click() still opens the picker.
        hidden
        onChange={(event) => {
          take(event.currentTarget.files);
          // Allow picking the same file again (e.g. to resume an interrupted album).
          event.currentTarget.value = "";
        }}
      />
    </div>
  );
}
