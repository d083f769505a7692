// The review page's shortcuts work from anywhere on the page but where typing goes, as Label Studio's hotkeys do: one
// listener on the document, so no element has to hold the focus (a closed snackbar or a disabled button used to drop it).
const shortcut = /^(ArrowLeft|ArrowRight|Escape|[sS1-9?])$/;

export function listen(page) {
    const onKey = event => {
        if (!shortcut.test(event.key) || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) {
            return;
        }
        const target = event.target instanceof Element ? event.target : null;
        if (target?.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])')) {
            return;
        }
        // An open dialog keeps its keys: Escape closes it rather than leaving the page.
        if (document.querySelector('.mud-dialog-container')) {
            return;
        }
        event.preventDefault();
        page.invokeMethodAsync('KeyPressed', event.key);
    };
    document.addEventListener('keydown', onKey);
    return { stop: () => document.removeEventListener('keydown', onKey) };
}
