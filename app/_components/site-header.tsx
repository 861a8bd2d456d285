// Top bar: brand, and either the signed-in user's links with a sign-out button or sign-in/up links.
import Link from 'next/link';
import { signOutAction } from '@/lib/actions/auth';
import { getCurrentUser } from '@/lib/session';

export async function SiteHeader() {
  const user = await getCurrentUser();
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        OnAir
      </Link>
      <nav aria-label="Account">
        {user ? (
          <>
            <Link href={`/${user.username}`}>My channel</Link>
            <Link href="/dashboard">Dashboard</Link>
            <Link href="/dashboard/account">Account</Link>
            {user.isAdmin ? <Link href="/admin">Admin</Link> : null}
            <form action={signOutAction}>
              <button type="submit" className="button button-small button-ghost">
                Sign out ({user.username})
              </button>
            </form>
          </>
        ) : (
          <>
            <Link href="/login">Sign in</Link>
            <Link href="/signup" className="button button-small">
              Sign up
            </Link>
          </>
        )}
      </nav>
    </header>
  );
}
