export default function HomePage() {
  return (
    <main>
      <h1>OnAir</h1>
      <p>Live channels will appear here.</p>
    </main>
  );
}
