/** A URL as it may be shown: credentials in it (`http://user:secret@host`) replaced, never printed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username === "" && u.password === "") return url;
    u.username = "***";
    u.password = "";
    return u.toString();
  } catch {
    // Not a URL: whatever stands before an @ may be a credential.
    return url.replace(/\/\/[^/@]*@/, "//***@");
  }
}
