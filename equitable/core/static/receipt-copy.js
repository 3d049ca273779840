// Copy the receipt code with one click (progressive enhancement: without JavaScript the
// button stays hidden and the code can be written down or saved as a text file).
// Nothing is sent anywhere: the code goes only to this device's clipboard.
const status = document.getElementById("copy-status");

function say(text) {
  if (status) status.textContent = text;
}

function copyBySelection(text) {
  // Fallback for browsers without the asynchronous clipboard (or outside a secure context).
  const field = document.createElement("textarea");
  field.value = text;
  field.setAttribute("readonly", "");
  field.className = "govuk-visually-hidden";
  document.body.appendChild(field);
  field.select();
  let copied = false;
  try {
    copied = document.execCommand("copy");
  } catch (error) {
    copied = false;
  }
  field.remove();
  return copied;
}

for (const button of document.querySelectorAll("[data-copy-from]")) {
  const source = document.getElementById(button.dataset.copyFrom);
  if (!source) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const text = source.textContent.trim();
    let copied = false;
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        copied = true;
      } catch (error) {
        copied = copyBySelection(text);
      }
    } else {
      copied = copyBySelection(text);
    }
    say(
      copied
        ? "Receipt code copied. Paste it somewhere private before you leave this page."
        : "Could not copy. Select the code and copy it, write it down, or save it as a text file.",
    );
  });
}
