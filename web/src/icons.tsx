// Inline SVG icons (no icon font). Decorative: hidden from screen readers,
// the text beside them says what they mean.
import type { Category } from './api';

const paths: Record<Category | 'ask' | 'offer' | 'heart', string> = {
  // a box
  goods: 'M3 8l9-5 9 5v9l-9 5-9-5z M3 8l9 5 9-5 M12 13v9',
  // an open book
  knowledge: 'M2 5c3-1.5 7-1.5 10 1 3-2.5 7-2.5 10-1v14c-3-1.5-7-1.5-10 1-3-2.5-7-2.5-10-1z M12 6v14',
  // a coin
  money: 'M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20 M15 8.5c-.8-1-2-1.5-3.2-1.5C9.6 7 8 8.3 8 10s1.6 2 4 2.3 4 .8 4 2.7-1.7 3-4 3c-1.4 0-2.7-.6-3.4-1.6 M12 5v2 M12 18v1.5',
  // two people
  contacts: 'M9 11a4 4 0 1 0 0-8a4 4 0 1 0 0 8 M2 21c0-4 3-6.5 7-6.5s7 2.5 7 6.5 M16 3.5a4 4 0 0 1 0 7.5 M18 14.5c2.4.8 4 3 4 6.5',
  // a hand holding a heart
  care: 'M12 11.5 8.6 8.2a2.2 2.2 0 0 1 3.4-2.8 2.2 2.2 0 0 1 3.4 2.8z M2 15h4l4 1.5h3.5a1.5 1.5 0 0 1 0 3H10 M13.5 19.5l5.5-2.5a1.6 1.6 0 0 1 1.5 2.8L14 23H6l-4-1.5',
  ask: 'M9 9a3 3 0 1 1 4 2.8c-.8.4-1 1-1 1.7V15 M12 18.5v.5 M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20',
  offer: 'M20 12v10H4V12 M2 7h20v5H2z M12 22V7 M12 7H7.5a2.5 2.5 0 0 1 0-5C11 2 12 7 12 7z M12 7h4.5a2.5 2.5 0 0 0 0-5C13 2 12 7 12 7z',
  heart: 'M12 21s-8-5-8-11a4.5 4.5 0 0 1 8-2.8A4.5 4.5 0 0 1 20 10c0 6-8 11-8 11z',
};

export function Icon({ name, size = 24 }: { name: keyof typeof paths; size?: number }) {
  return (
    <svg class="icon" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false"
      fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
      <path d={paths[name]} />
    </svg>
  );
}
