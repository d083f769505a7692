// What the grid needs from the browser: pinned columns' offsets and a header the keyboard crosses in one Tab.
export function enhance(root) {
    pin(root);
    rove(root.querySelector('thead'));
}

// Pinned columns stick at the summed widths of the pinned columns before them. The widths depend on the header's
// text and the user's font, so they are measured here, and again whenever a pinned header cell changes size.
function pin(root) {
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

// The header's controls (select this page, a sort button per column) are one Tab stop, as in a toolbar: Tab goes on
// to the rows, ← → move between the controls, Enter or Space uses one. The one last used keeps the Tab stop.
function rove(thead) {
    if (!thead) {
        return;
    }
    let current = 0;
    const controls = () => [...thead.querySelectorAll('button, input, a[href], [tabindex]')].filter(e => !e.disabled);
    const apply = () => {
        const list = controls();
        current = Math.min(current, list.length - 1);
        list.forEach((e, i) => e.tabIndex = i === current ? 0 : -1);
    };
    thead.addEventListener('keydown', e => {
        if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') {
            return;
        }
        const list = controls();
        const at = list.indexOf(document.activeElement);
        if (at < 0) {
            return;
        }
        current = Math.max(0, Math.min(list.length - 1, at + (e.key === 'ArrowRight' ? 1 : -1)));
        apply();
        list[current].focus();
        e.preventDefault();
    });
    thead.addEventListener('focusin', e => {
        const at = controls().indexOf(e.target);
        if (at >= 0 && at !== current) {
            current = at;
            apply();
        }
    });
    // Columns shown or hidden, or a sort redrawn: the new controls join the one Tab stop.
    new MutationObserver(apply).observe(thead, { childList: true, subtree: true });
    apply();
}
