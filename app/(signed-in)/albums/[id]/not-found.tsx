import Link from "next/link";

export default function AlbumNotFound() {
  return (
    <div className="flex flex-col gap-3">
      <h1 className="text-2xl font-semibold tracking-tight">Album not found</h1>
      <p className="text-stone-700">It may have been deleted, or it belongs to another account.</p>
      <Link href="/" className="text-blue-800 underline">Back to your albums</Link>
    </div>
  );
}
