export default function LoginLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <header className="border-b border-stone-200 bg-white">
        <p className="mx-auto max-w-6xl px-4 py-3 text-lg font-semibold tracking-tight sm:px-6">Shoebox</p>
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl px-4 pb-16 pt-6 sm:px-6">
        {children}
      </main>
    </>
  );
}
