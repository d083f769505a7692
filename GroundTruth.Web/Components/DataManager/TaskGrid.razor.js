// What the grid needs from the browser: pinned columns' offsets, a header the keyboard crosses in one Tab, and
// columns a user sizes by dragging their right edge or with Shift+← → on the header, remembered under storageKey.
export function enhance(root, storageKey) {
    pin(root);
    rove(root.querySelector('thead'));
    size(root, storageKey);
}

// A width a user gave a column holds its header and cells to it (longer text ends in an ellipsis); a double click on
// the edge gives the column back its own width. The keyboard sizes the column whose header has the focus, 16 px a
// press of Shift+← or Shift+→ (the arrows alone move between the headers). Kept in the browser, per project: no
// round trip while dragging.
function size(root, storageKey) {
    const grid = root.querySelector('.task-grid');
    const thead = root.querySelector('thead');
    if (!grid || !thead) {
        return;
    }
    const project = grid.dataset.project;
    let widths = {};
    try {
        widths = JSON.parse(localStorage.getItem(storageKey) ?? '{}') ?? {};
    } catch {
        widths = {};
    }
    const style = document.createElement('style');
    style.dataset.gridWidths = project;
    document.head.querySelectorAll(`style[data-grid-widths="${project}"]`).forEach(old => old.remove());
    document.head.appendChild(style);
    const apply = () => {
        style.textContent = Object.entries(widths)
            .filter(([name, width]) => /^[a-z_]+$/.test(name) && Number.isFinite(width))
            .map(([name, width]) => `.task-grid[data-project="${project}"] .col-${name} { width: ${width}px; min-width: ${width}px; max-width: ${width}px; overflow: hidden; text-overflow: ellipsis; }`)
            .join('\n');
    };
    const save = () => localStorage.setItem(storageKey, JSON.stringify(widths));
    const nameOf = th => [...th.classList].find(c => c.startsWith('col-'))?.substring(4);
    const clamp = width => Math.round(Math.max(48, Math.min(1200, width)));
    thead.addEventListener('keydown', e => {
        if (!e.shiftKey || (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft')) {
            return;
        }
        const th = e.target.closest('th');
        const name = th && thead.contains(th) ? nameOf(th) : null;
        if (!name) {
            return;
        }
        widths[name] = clamp(th.getBoundingClientRect().width + (e.key === 'ArrowRight' ? 16 : -16));
        apply();
        save();
        e.preventDefault();
    });
    const addHandles = () => {
        for (const th of thead.querySelectorAll('th')) {
            const name = nameOf(th);
            if (!name || th.querySelector(':scope > .col-resizer')) {
                continue;
            }
            const handle = document.createElement('span');
            handle.className = 'col-resizer';
            handle.setAttribute('aria-hidden', 'true');
            handle.title = 'Drag to size this column (or Shift+← → on its header); double-click for its own width';
            handle.addEventListener('click', e => e.stopPropagation());
            handle.addEventListener('dblclick', e => {
                e.stopPropagation();
                delete widths[name];
                apply();
                save();
            });
            handle.addEventListener('pointerdown', e => {
                e.preventDefault();
                e.stopPropagation();
                const start = e.clientX;
                const from = th.getBoundingClientRect().width;
                handle.setPointerCapture(e.pointerId);
                const move = m => {
                    widths[name] = clamp(from + m.clientX - start);
                    apply();
                };
                const end = () => {
                    handle.removeEventListener('pointermove', move);
                    handle.removeEventListener('pointerup', end);
                    handle.removeEventListener('pointercancel', end);
                    save();
                };
                handle.addEventListener('pointermove', move);
                handle.addEventListener('pointerup', end);
                handle.addEventListener('pointercancel', end);
            });
            th.appendChild(handle);
        }
    };
    apply();
    addHandles();
    // Columns shown, hidden or moved: their new header cells get handles too.
    new MutationObserver(addHandles).observe(thead, { childList: true, subtree: true });
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
        // Shift with an arrow sizes the column (see size), it does not move.
        if ((e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') || e.shiftKey) {
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
