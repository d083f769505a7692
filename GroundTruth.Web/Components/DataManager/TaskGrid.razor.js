// Pinned columns stick at the summed widths of the pinned columns before them. The widths depend on the header's
// text and the user's font, so they are measured here, and again whenever a pinned header cell changes size.
export function pin(root) {
    const heads = [...root.querySelectorAll('thead th.pin')];
    const update = () => {
        let left = 0;
        for (const th of heads) {
            const name = [...th.classList].find(c => c.startsWith('pin-'));
            root.style.setProperty('--' + name, left + 'px');
            left += th.getBoundingClientRect().width;
        }
    };
    const observer = new ResizeObserver(update);
    heads.forEach(th => observer.observe(th));
    update();
}
