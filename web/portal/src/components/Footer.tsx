/** The brand's footer text (plain text; line breaks kept by CSS). */
export function Footer({ text }: { text: string | undefined }) {
  return (
    <footer className="portal-footer">{text ? <p className="portal-footer-text">{text}</p> : null}</footer>
  );
}
