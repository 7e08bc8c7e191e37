/** Shows an error the way the host phrased it: what went wrong and what to do. */
export function ErrorMessage({ error }: { readonly error: Error }) {
  return (
    <p role="alert" className="error">
      {error.message}
    </p>
  );
}
