/** An accessible progress bar; `label` names it for screen readers, `valueText` says it in words. */
export function ProgressBar({ value, max, label, valueText, tone = "blue" }: { value: number; max: number; label: string; valueText?: string; tone?: "blue" | "green" | "amber" | "red" }) {
  const safeMax = max > 0 ? max : 1;
  const percent = Math.min(100, Math.max(0, (value / safeMax) * 100));
  const fill = { blue: "bg-blue-700", green: "bg-green-700", amber: "bg-amber-600", red: "bg-red-700" }[tone];
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={safeMax}
      aria-valuenow={Math.min(value, safeMax)}
      aria-valuetext={valueText}
      className="h-2.5 w-full overflow-hidden rounded-full bg-stone-200"
    >
      <div className={`h-full rounded-full ${fill} transition-[width] duration-300 ease-out`} style={{ width: `${percent}%` }} />
    </div>
  );
}
